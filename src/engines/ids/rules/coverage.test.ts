/**
 * Rule-load coverage on the real rulesets in ../shared/ids/rules with the benchmark variables
 * (../shared/ids/bench/README.md): at least 99% of the enabled rules of each ruleset load.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedMissing, sharedPath } from '../../../../test/support/shared.js';
import { checkRules } from './check.js';
import { snortDefaultVariables } from './variables.js';

const missing = sharedMissing('ids', 'rules');
if (missing) console.warn(missing);

function benchVariables() {
  const vars = snortDefaultVariables();
  // bench/README.md: HOME_NET is the RFC 1918 ranges; every *_SERVERS is $HOME_NET (already the default).
  vars.set('HOME_NET', '[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]');
  vars.set('EXTERNAL_NET', 'any');
  return vars;
}

function ruleset(dir: string) {
  const base = sharedPath('ids', 'rules', dir);
  return readdirSync(base)
    .filter((f) => f.endsWith('.rules'))
    .sort()
    .map((f) => ({ path: `${base}/${f}` }));
}

describe.skipIf(missing)('rule-load coverage on the real rulesets', () => {
  it.each([
    ['snort3-community', 4016],
    ['et-open-snort-2.9.0', 24144],
    ['et-open-suricata-5.0', 24827],
  ])('loads at least 99%% of the enabled rules of %s', (dir, enabled) => {
    const report = checkRules(ruleset(dir), benchVariables());
    expect(report.total).toBe(enabled);
    expect(report.loadRatio).toBeGreaterThanOrEqual(0.99);
    // Every failure names its file and line.
    for (const e of report.errors) {
      expect(e.file).toContain(dir);
      expect(e.line).toBeGreaterThan(0);
    }
  }, 120_000);
});
