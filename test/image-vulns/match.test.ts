/**
 * Matching on real data: the real package databases of the test images against the real Debian
 * and Alpine feeds in ../shared/vulndata. Expected verdicts were checked by hand in the feeds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/storage/open.js';
import type { Store } from '../../src/storage/types.js';
import { importFeedPaths } from '../../src/engines/image/store/index.js';
import { explainMatch, matchInventory, type MatchResult } from '../../src/engines/image/match/index.js';
import { buildReport, renderExplanation, renderTable } from '../../src/engines/image/report/index.js';
import { sharedMissing, sharedPath } from '../support/shared.js';
import { createPgSchema, pgMissing } from '../support/pg.js';
import { alpineInventory, bookwormInventory, bookwormLayers } from './fixture-inventory.js';

const missing = sharedMissing('vulndata') ?? sharedMissing('images', 'fixtures');
if (missing) console.warn(missing);
const tmp = mkdtempSync(join(tmpdir(), 'vigil-match-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
// the feeds in ../shared are from early 2025: fix "now" so the staleness verdicts do not drift
const FEED_TIME = new Date('2025-02-20T00:00:00Z');

describe.skipIf(missing)('matching the real test images against real feeds (SQLite)', () => {
  let store: Store;
  let bookworm: MatchResult;
  let alpine: MatchResult;
  beforeAll(async () => {
    store = await openStore({ driver: 'sqlite', path: join(tmp, 'real.db') });
    await importFeedPaths(store, [
      sharedPath('vulndata', 'debian'),
      sharedPath('vulndata', 'alpine', 'secdb-20250104', '3.14'),
      sharedPath('vulndata', 'alpine', 'osv-alpine-20250216.jsonl.gz'),
      sharedPath('vulndata', 'nvd'),
      sharedPath('vulndata', 'redhat'),
    ]);
    bookworm = await matchInventory(store, bookwormInventory(), { now: FEED_TIME });
    alpine = await matchInventory(store, alpineInventory(), { now: FEED_TIME });
  }, 120_000);
  afterAll(async () => store?.close());

  it('reports an open Debian CVE for every binary of the source package, from the layer that added it', () => {
    // Debian:12 curl CVE-2024-2379: {introduced: 0} only, urgency "unimportant"
    const hits = bookworm.findings.filter((f) => f.id === 'CVE-2024-2379');
    expect(hits.map((f) => f.package.name).sort()).toEqual(['curl', 'libcurl4']);
    for (const f of hits) {
      expect(f.state).toBe('unfixed');
      expect(f.fixedVersion).toBeUndefined();
      expect(f.severity).toBe('negligible');
      expect(f.severitySource).toBe('osv:Debian:12');
      expect(f.package.sourceName).toBe('curl');
      expect(f.package.layer).toBe(bookwormLayers()[1]); // curl arrived in layer 2
      // osv.dev records carry every ecosystem, so the Alpine OSV file holds the same Debian entry: file:line either way
      expect(f.evidence[0]!.row.origin).toMatch(/\/osv-(debian12-20250212|alpine-20250216)\.jsonl\.gz:\d+$/);
    }
  });

  it('maps binaries to their source package (libc6 -> glibc) and keeps the base layer', () => {
    const f = bookworm.findings.find((x) => x.id === 'CVE-2019-9192' && x.package.name === 'libc6');
    expect(f?.package.sourceName).toBe('glibc');
    expect(f?.evidence[0]!.row.package).toBe('glibc');
    expect(f?.package.layer).toBe(bookwormLayers()[0]);
  });

  it('does not report a CVE fixed at or below the installed version, and keeps the comparison as evidence', () => {
    // Debian:12 curl CVE-2023-38545 fixed in 7.88.1-10+deb12u4; the image has 7.88.1-10+deb12u15
    expect(bookworm.findings.some((f) => f.id === 'CVE-2023-38545')).toBe(false);
    const v = bookworm.notAffected.find((x) => x.row.advisoryId === 'CVE-2023-38545' && x.row.package === 'curl')!;
    expect(v.state).toBe('not_affected');
    expect(v.comparisons).toEqual(['dpkg: 7.88.1-10+deb12u15 > 7.88.1-10+deb12u4 (fixed)']);
  });

  it('never reports the purged package less', () => {
    expect(bookworm.inventory.packages.some((p) => p.name === 'less')).toBe(false);
    expect(bookworm.findings.some((f) => f.package.name === 'less')).toBe(false);
  });

  it('reports Alpine fixes with the fixed version from secdb and OSV, by origin package', () => {
    // Alpine 3.14 secdb: busybox 1.33.1-r4 fixes CVE-2021-42374; the image has busybox 1.33.1-r3
    const hits = alpine.findings.filter((f) => f.id === 'CVE-2021-42374');
    expect(hits.map((f) => f.package.name).sort()).toEqual(['busybox', 'ssl_client']);
    for (const f of hits) {
      expect(f.state).toBe('fixed');
      expect(f.fixedVersion).toBe('1.33.1-r4');
      expect(f.evidence.map((e) => e.row.source).sort()).toEqual(['alpine-secdb', 'osv']);
      expect(f.evidence.find((e) => e.row.source === 'alpine-secdb')!.comparisons).toEqual(['apk: 1.33.1-r3 < 1.33.1-r4 (fixed)']);
    }
    // openssl 1.1.1l-r0 fixes CVE-2021-3711 for both libcrypto1.1 and libssl1.1 (origin openssl)
    const ssl = alpine.findings.filter((f) => f.id === 'CVE-2021-3711');
    expect(ssl.map((f) => f.package.name).sort()).toEqual(['libcrypto1.1', 'libssl1.1']);
    expect(ssl.every((f) => f.fixedVersion === '1.1.1l-r0' && f.installedVersion === '1.1.1k-r0')).toBe(true);
  });

  it('does not report Alpine advisories fixed at or before the installed version', () => {
    // secdb 3.14: busybox CVE-2021-28831 fixed in 1.33.0-r5, older than the installed 1.33.1-r3
    expect(alpine.findings.some((f) => f.id === 'CVE-2021-28831' && f.package.name === 'busybox')).toBe(false);
    expect(alpine.notAffected.some((v) => v.row.advisoryId === 'CVE-2021-28831' && v.row.source === 'alpine-secdb')).toBe(true);
  });

  it('reports a fixed Debian CVE for an older real curl build, with NVD CVSS as enrichment', async () => {
    // 7.88.1-10+deb12u1 is the curl that shipped with Debian 12.1; CVE-2023-38545 was fixed in deb12u4
    const inv = bookwormInventory();
    const old = '7.88.1-10+deb12u1';
    const packages = inv.packages.map((p) => (p.sourceName === 'curl' ? { ...p, version: old, sourceVersion: old } : p));
    const r = await matchInventory(store, { ...inv, packages }, { now: FEED_TIME });
    const f = r.findings.find((x) => x.id === 'CVE-2023-38545' && x.package.name === 'curl')!;
    expect(f).toMatchObject({ state: 'fixed', fixedVersion: '7.88.1-10+deb12u4', installedVersion: old });
    // the Debian tracker's urgency is "not yet assigned": the severity comes from NVD's rating
    expect(f.evidence[0]!.row.severityRaw).toBe('not yet assigned');
    expect(f).toMatchObject({ severity: 'critical', severitySource: 'nvd' });
    expect(f.cvss).toMatchObject({ version: '3.1', score: 9.8 });
    expect(f.cvss!.by).toMatch(/^nvd@nist\.gov/);
    expect(f.links).toContain('https://nvd.nist.gov/vuln/detail/CVE-2023-38545');
    expect(f.related.length + f.aliases.length).toBeGreaterThan(0);
  });

  it('matches rpm packages of a RHEL 9 image against Red Hat VEX with rpm ordering', async () => {
    const layer = bookwormLayers()[0]!;
    const rpmPkg = (name: string, version: string) => ({
      ecosystem: 'rpm' as const, name, version, sourceName: 'curl', arch: 'x86_64',
      purl: `pkg:rpm/redhat/${name}@${version}?arch=x86_64`, layer, file: 'var/lib/rpm/rpmdb.sqlite', detector: 'test',
    });
    const inv = {
      ...bookwormInventory(),
      distribution: { id: 'rhel', versionId: '9.3', layer },
      // 7.76.1-26.el9 is RHEL 9.3's curl before the fix, 7.76.1-26.el9_3.2 the fixed build
      packages: [rpmPkg('curl', '7.76.1-26.el9'), rpmPkg('libcurl', '0:7.76.1-26.el9_3.2')],
    };
    const r = await matchInventory(store, inv, { now: FEED_TIME });
    const f = r.findings.filter((x) => x.id === 'CVE-2023-38545');
    expect(f.map((x) => x.package.name)).toEqual(['curl']);
    expect(f[0]).toMatchObject({ state: 'fixed', fixedVersion: '0:7.76.1-26.el9_3.2', severity: 'high', severitySource: 'redhat-csaf:Red Hat:9' });
    expect(r.notAffected.some((v) => v.row.advisoryId === 'CVE-2023-38545' && v.row.package === 'libcurl' && v.comparisons[0] === 'rpm: 0:7.76.1-26.el9_3.2 = 0:7.76.1-26.el9_3.2 (fixed)')).toBe(true);
  });

  it('calls the check complete when every namespace has fresh data', () => {
    expect(bookworm.coverage.status).toBe('complete');
    expect(bookworm.coverage.checkedPackages).toBe(107);
    expect(alpine.coverage.status).toBe('complete');
  });

  it('says loudly that data is stale when it is old', async () => {
    const late = await matchInventory(store, alpineInventory(), { now: new Date('2026-11-23T00:00:00Z') });
    expect(late.coverage.status).toBe('partial');
    expect(late.coverage.warnings.join('\n')).toMatch(/STALE DATA for Alpine:v3\.14: newest advisory is from 2025-02-1\d/);
    expect(renderTable(buildReport(late, { toolVersion: 't' }))).toMatch(/INCOMPLETE CHECK/);
  });

  it('explains why a CVE is not reported, and a package chain', async () => {
    const e = await explainMatch(store, bookworm, 'CVE-2023-38545');
    const text = renderExplanation(e);
    expect(text).toContain('NOT REPORTED');
    expect(text).toContain('dpkg: 7.88.1-10+deb12u15 > 7.88.1-10+deb12u4 (fixed)');
    const absent = renderExplanation(await explainMatch(store, alpine, 'CVE-1999-99999'));
    expect(absent).toContain('not in the vulnerability database at all');
    const pkg = renderExplanation(await explainMatch(store, alpine, 'busybox'));
    expect(pkg).toContain('looked up busybox in Alpine:v3.14');
    expect(pkg).toContain('REPORTED CVE-2021-42374: fixed in 1.33.1-r4');
  });
});

describe.skipIf(missing)('coverage when data is missing', () => {
  it('never reads as "no vulnerabilities" on an empty database', async () => {
    const store = await openStore({ driver: 'sqlite', path: join(tmp, 'empty.db') });
    const r = await matchInventory(store, alpineInventory());
    await store.close();
    expect(r.findings).toEqual([]);
    expect(r.coverage.status).toBe('none');
    expect(r.coverage.warnings[0]).toMatch(/EMPTY: nothing was checked/);
    const table = renderTable(buildReport(r, { toolVersion: 't' }));
    expect(table).toMatch(/NOTHING WAS CHECKED/);
    expect(table).not.toMatch(/No vulnerabilities found/);
  });

  it('names the distribution with no data when the database covers another one', async () => {
    const store = await openStore({ driver: 'sqlite', path: join(tmp, 'partial.db') });
    await importFeedPaths(store, [sharedPath('vulndata', 'alpine', 'secdb-20250104', '3.14', 'main.json')]);
    const r = await matchInventory(store, bookwormInventory());
    await store.close();
    expect(r.findings).toEqual([]);
    expect(r.coverage.status).toBe('none');
    expect(r.coverage.warnings.join('\n')).toMatch(/NO DATA for Debian:12: 107 package\(s\) were NOT checked/);
    expect(r.packages.every((p) => p.status === 'no-data')).toBe(true);
  });
});

if (pgMissing) console.warn(pgMissing);
describe.skipIf(missing || pgMissing)('matching on PostgreSQL', () => {
  it('finds the same Alpine advisories as on SQLite', async () => {
    const { url, drop } = await createPgSchema('imgmatch');
    const store = await openStore({ driver: 'postgres', url });
    try {
      await importFeedPaths(store, [sharedPath('vulndata', 'alpine', 'secdb-20250104', '3.14', 'main.json')]);
      const r = await matchInventory(store, alpineInventory(), { now: FEED_TIME });
      const f = r.findings.find((x) => x.id === 'CVE-2021-42374' && x.package.name === 'busybox');
      expect(f?.fixedVersion).toBe('1.33.1-r4');
      // secdb records carry no dates: the age of the data is unknown, which is said, not hidden
      expect(r.coverage.status).toBe('partial');
      expect(r.coverage.warnings.join('\n')).toMatch(/Alpine:v3\.14: the data has no dates/);
    } finally {
      await store.close();
      await drop();
    }
  });
});
