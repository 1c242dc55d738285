import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findTool } from '../common/run-tool.js';
import { collectRows, createTestContext } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { parseYaraOutput } from '../common/yara-cli.js';
import { yaraFile } from './yara_file.js';
import { yaraProcess } from './yara_process.js';

const yaraMissing = findTool('yara') === undefined ? 'skipped: the yara program is not installed (apt-get install yara)' : undefined;
if (yaraMissing) console.warn(yaraMissing);

const dir = mkdtempSync(join(tmpdir(), 'vigil-yara-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const RULES = 'rule evil : malware test { strings: $a = "EVIL-MARKER" $b = "other" condition: $a and not $b }\nrule always { condition: true }\n';

describe('yara_file', () => {
  it('parses yara -g -s output', () => {
    const m = parseYaraOutput('evil [malware,test] /tmp/a b\n0x10:$a: EVIL\n0x20:$a: EVIL\nalways [] /tmp/a b\nalways [] /tmp/c\n');
    expect(m.get('/tmp/a b')).toEqual({ rules: ['evil', 'always'], tags: ['malware', 'test'], strings: ['$a:16', '$a:32'] });
    expect(m.get('/tmp/c')).toEqual({ rules: ['always'], tags: [], strings: [] });
  });

  it('yields nothing without a path constraint', () => {
    expect(collectRows(yaraFile, { constraints: { sigrule: [RULES] } })).toEqual([]);
  });

  it.skipIf(yaraMissing)('matches a rule the test writes, given as sigfile and as sigrule', () => {
    const hit = join(dir, 'hit.bin');
    const miss = join(dir, 'miss.bin');
    writeFileSync(hit, 'padding EVIL-MARKER padding');
    writeFileSync(miss, 'nothing to see');
    const sigfile = join(dir, 'rules.yar');
    writeFileSync(sigfile, RULES);
    const rows = collectRows(yaraFile, { constraints: { path: [hit, miss], sigfile: [sigfile] } });
    expect(rows.map((r) => [r.path, r.matches, r.count, r.tags, r.strings, r.sigfile])).toEqual([
      [hit, 'evil,always', 2, 'malware,test', '$a:8', sigfile],
      [miss, 'always', 1, '', '', sigfile],
    ]);
    if (!schemaMissing) expect(columnMismatch('yara_file', rows[0])).toBe('');
    const byRule = collectRows(yaraFile, { constraints: { path: [hit], sigrule: [RULES] } });
    expect(byRule).toHaveLength(1);
    expect(byRule[0]).toMatchObject({ matches: 'evil,always', sigrule: RULES, sigfile: '' });
  });

  it.skipIf(yaraMissing)('expands LIKE globs on path', () => {
    writeFileSync(join(dir, 'glob-1.txt'), 'EVIL-MARKER');
    writeFileSync(join(dir, 'glob-2.txt'), 'clean');
    const rows = collectRows(yaraFile, { like: { path: [join(dir, 'glob-%.txt')] }, constraints: { sigrule: [RULES] } });
    expect(rows.map((r) => [r.path, r.count])).toEqual([
      [join(dir, 'glob-1.txt'), 2],
      [join(dir, 'glob-2.txt'), 1],
    ]);
  });

  it.skipIf(yaraMissing)('warns and yields nothing for rules that do not compile', () => {
    const f = join(dir, 'x.txt');
    writeFileSync(f, 'x');
    const ctx = createTestContext({ constraints: { path: [f], sigrule: ['rule broken { condition: nope }'] } });
    expect([...yaraFile.generate(ctx)]).toEqual([]);
    expect(ctx.warnings.map((w) => w.message).join('\n')).toMatch(/yara could not scan with the sigrule: .*nope/);
  });

  it.skipIf(yaraMissing)('scans a process the test starts (yara_process)', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 100));
      const rows = collectRows(yaraProcess, {
        constraints: { pid: [String(child.pid)], sigrule: ['rule cu { strings: $a = "coreutils" condition: $a }'] },
      });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ pid: child.pid, matches: 'cu', count: 1 });
      if (!schemaMissing) expect(columnMismatch('yara_process', rows[0])).toBe('');
    } finally {
      child.kill();
    }
  });
});
