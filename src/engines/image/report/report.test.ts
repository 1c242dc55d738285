import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../storage/open.js';
import { sharedMissing, sharedPath } from '../../../../test/support/shared.js';
import { alpineInventory } from '../../../../test/image-vulns/fixture-inventory.js';
import { importFeedPaths } from '../store/index.js';
import { matchInventory, type MatchResult } from '../match/index.js';
import { buildReport, parseIgnoreFile, renderReport, toClairReport, toCycloneDx, toSarif } from './index.js';

const missing = sharedMissing('vulndata') ?? sharedMissing('images', 'fixtures');
const tmp = mkdtempSync(join(tmpdir(), 'vigil-report-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const NOW = new Date('2025-02-20T00:00:00Z');

describe.skipIf(missing)('reports', () => {
  let result: MatchResult;
  beforeAll(async () => {
    const store = await openStore({ driver: 'sqlite', path: join(tmp, 'r.db') });
    await importFeedPaths(store, [sharedPath('vulndata', 'alpine', 'secdb-20250104', '3.14', 'main.json'), sharedPath('vulndata', 'alpine', 'osv-alpine-20250216.jsonl.gz')]);
    result = await matchInventory(store, alpineInventory(), { now: NOW });
    await store.close();
  }, 60_000);

  it('keys the JSON report by the manifest digest and gives every finding its full record', () => {
    const r = JSON.parse(renderReport(buildReport(result, { toolVersion: '9.9.9', now: NOW }), result.inventory, 'json'));
    expect(r.schemaVersion).toBe(1);
    expect(r.artifact.digest).toBe(result.inventory.digest);
    expect(r.artifact.digestKind).toBe('manifest');
    expect(r.summary.total).toBe(r.findings.length);
    const f = r.findings.find((x: { id: string; package: { name: string } }) => x.id === 'CVE-2021-3711' && x.package.name === 'libssl1.1');
    expect(f).toMatchObject({
      installedVersion: '1.1.1k-r0',
      fixedVersion: '1.1.1l-r0',
      state: 'fixed',
      severity: 'critical',
      package: { sourceName: 'openssl', layer: result.inventory.layers[0]!.digest, file: 'lib/apk/db/installed', ecosystem: 'apk' },
      cvss: { version: '3.1', score: 9.8 },
    });
    expect(f.links.length).toBeGreaterThan(0);
    expect(f.evidence.map((e: { source: string }) => e.source).sort()).toEqual(['alpine-secdb', 'osv']);
  });

  it('filters by severity, unfixed state and an ignore file', () => {
    const all = buildReport(result, { toolVersion: 't' });
    const crit = buildReport(result, { toolVersion: 't', severities: ['critical'] });
    expect(crit.findings.every((f) => f.severity === 'critical')).toBe(true);
    expect(crit.summary.filteredOut).toBe(all.summary.total - crit.summary.total);
    const { ids, problems } = parseIgnoreFile('# reviewed\nCVE-2021-3711\nCVE-2021-42374 exp:2020-01-01\nnot an id!\n', 'ignore.txt', NOW);
    expect([...ids]).toEqual(['CVE-2021-3711']);
    expect(problems).toEqual(['ignore.txt:4: "not" is not a vulnerability id; line ignored']);
    const ignored = buildReport(result, { toolVersion: 't', ignore: ids, ignoreUnfixed: true });
    expect(ignored.findings.some((f) => f.id === 'CVE-2021-3711')).toBe(false);
    expect(ignored.findings.some((f) => f.id === 'CVE-2021-42374')).toBe(true);
    expect(ignored.findings.every((f) => f.state === 'fixed')).toBe(true);
  });

  it('groups the table by severity, most severe first', () => {
    const text = renderReport(buildReport(result, { toolVersion: 't' }), result.inventory, 'table');
    const order = ['CRITICAL (', 'HIGH (', 'MEDIUM ('].map((h) => text.indexOf(h));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toContain('1.1.1l-r0');
  });

  it('writes SARIF 2.1.0 with one result per finding', () => {
    const report = buildReport(result, { toolVersion: 't' });
    const s = toSarif(report) as { version: string; runs: { results: { ruleId: string; level: string }[]; tool: { driver: { rules: unknown[] } } }[] };
    expect(s.version).toBe('2.1.0');
    expect(s.runs[0]!.results).toHaveLength(report.findings.length);
    expect(s.runs[0]!.results.find((r) => r.ruleId === 'CVE-2021-3711')?.level).toBe('error');
  });

  it('writes a CycloneDX 1.5 SBOM whose vulnerabilities point at its components', () => {
    const report = buildReport(result, { toolVersion: 't' });
    const bom = toCycloneDx(report, result.inventory) as { specVersion: string; components: { 'bom-ref': string; purl: string }[]; vulnerabilities: { id: string; affects: { ref: string }[] }[]; metadata: { component: { type: string; version: string } } };
    expect(bom.specVersion).toBe('1.5');
    expect(bom.metadata.component).toMatchObject({ type: 'container', version: result.inventory.digest });
    expect(bom.components).toHaveLength(result.inventory.packages.length);
    const refs = new Set(bom.components.map((c) => c['bom-ref']));
    for (const v of bom.vulnerabilities) for (const a of v.affects) expect(refs.has(a.ref)).toBe(true);
    expect(new Set(bom.vulnerabilities.map((v) => v.id)).size).toBe(bom.vulnerabilities.length);
  });

  it('writes Clair v4 VulnerabilityReport with the same package, distribution and environment fields as real Clair reports', () => {
    const clair = JSON.parse(readFileSync(sharedPath('vulndata', 'clair-examples', 'datastore_postgres_testdata_docker.io-library-debian-10.index.json'), 'utf8'));
    const ours = toClairReport(buildReport(result, { toolVersion: 't' }), result.inventory) as Record<string, Record<string, Record<string, unknown>>>;
    for (const k of ['manifest_hash', 'packages', 'distributions', 'repository', 'environments', 'vulnerabilities', 'package_vulnerabilities', 'enrichments']) expect(ours).toHaveProperty(k);
    const theirPkg = Object.values(clair.packages as Record<string, object>)[0]!;
    const ourPkg = Object.values(ours.packages!)[0]!;
    expect(Object.keys(ourPkg).sort()).toEqual(Object.keys(theirPkg).sort());
    expect(Object.keys(Object.values(ours.distributions!)[0]!).sort()).toEqual(Object.keys(Object.values(clair.distributions as Record<string, object>)[0]!).sort());
    const theirEnv = (Object.values(clair.environments as Record<string, object[]>)[0]!)[0]!;
    expect(Object.keys((Object.values(ours.environments!)[0] as unknown as object[])[0]!).sort()).toEqual(Object.keys(theirEnv).sort());
    const vulnIds = new Set(Object.keys(ours.vulnerabilities!));
    for (const ids of Object.values(ours.package_vulnerabilities as unknown as Record<string, string[]>)) for (const id of ids) expect(vulnIds.has(id)).toBe(true);
    const v = Object.values(ours.vulnerabilities!).find((x) => x.name === 'CVE-2021-3711');
    expect(v).toMatchObject({ normalized_severity: 'Critical', fixed_in_version: '1.1.1l-r0' });
  });
});
