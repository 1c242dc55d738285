/**
 * Ubuntu, PyPI and npm matching on real feeds (Ubuntu OpenVEX, PyPA OSV, GitHub advisories) with
 * an inventory of real released versions, plus the matcher registry's conformance checks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/storage/open.js';
import { importFeedPaths } from '../../src/engines/image/store/index.js';
import { matchInventory, matchers, type MatchResult } from '../../src/engines/image/match/index.js';
import type { ImageInventory, Package } from '../../src/engines/image/types.js';
import { sharedMissing, sharedPath } from '../support/shared.js';

const missing = sharedMissing('vulndata');
const tmp = mkdtempSync(join(tmpdir(), 'vigil-lang-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const LAYER = `sha256:${'a'.repeat(64)}`;
function pkg(ecosystem: Package['ecosystem'], name: string, version: string, file: string, sourceName?: string): Package {
  return { ecosystem, name, version, ...(sourceName && { sourceName, sourceVersion: version }), purl: `pkg:${ecosystem}/${name}@${version}`, layer: LAYER, file, detector: 'test' };
}

// Released versions: curl 7.81.0-1ubuntu1.13 (jammy-updates, 2023), requests 2.28.1, lodash 4.17.20, semver 7.5.1.
const inventory: ImageInventory = {
  digest: `sha256:${'b'.repeat(64)}`,
  digestKind: 'manifest',
  reference: 'test:jammy-app',
  configDigest: `sha256:${'c'.repeat(64)}`,
  layers: [{ digest: LAYER, diffId: LAYER, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', size: 1 }],
  distribution: { id: 'ubuntu', versionId: '22.04', codename: 'jammy', layer: LAYER },
  packages: [
    pkg('deb', 'libcurl4', '7.81.0-1ubuntu1.13', 'var/lib/dpkg/status', 'curl'),
    pkg('pypi', 'requests', '2.28.1', 'usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA'),
    pkg('npm', 'lodash', '4.17.20', 'app/package-lock.json'),
    pkg('npm', 'semver', '7.5.1', 'app/package-lock.json'),
    pkg('npm', 'minimist', '1.2.8', 'app/package-lock.json'),
  ],
  warnings: [],
};

describe.skipIf(missing)('Ubuntu, PyPI and npm matching', () => {
  let r: MatchResult;
  beforeAll(async () => {
    const store = await openStore({ driver: 'sqlite', path: join(tmp, 'l.db') });
    await importFeedPaths(store, [sharedPath('vulndata', 'ubuntu'), sharedPath('vulndata', 'pypi'), sharedPath('vulndata', 'npm')]);
    r = await matchInventory(store, inventory, { now: new Date('2024-11-01T00:00:00Z'), maxAgeDays: 100_000 });
    await store.close();
  }, 60_000);

  it('matches an Ubuntu binary through its source package against Ubuntu VEX', () => {
    const f = r.findings.find((x) => x.id === 'CVE-2023-38545' && x.package.name === 'libcurl4');
    expect(f).toMatchObject({ state: 'fixed', fixedVersion: '7.81.0-1ubuntu1.24' });
    expect(f!.evidence[0]!.row).toMatchObject({ source: 'ubuntu-vex', namespace: 'Ubuntu:22.04:LTS', package: 'curl' });
  });

  it('matches PyPI with PEP 440 ordering and reports PYSEC records under their CVE', () => {
    const f = r.findings.find((x) => x.id === 'CVE-2023-32681');
    expect(f).toMatchObject({ state: 'fixed', fixedVersion: '2.31.0', package: { name: 'requests' } });
    expect(f!.aliases).toContain('PYSEC-2023-74');
    // fixed in 2.20.0, before the installed 2.28.1
    expect(r.findings.some((x) => x.id === 'CVE-2018-18074')).toBe(false);
    expect(r.notAffected.some((v) => v.row.advisoryId === 'PYSEC-2018-28' && v.comparisons.includes('pep440: 2.28.1 > 2.20.0 (fixed)'))).toBe(true);
  });

  it('matches npm with semver ordering (GitHub advisories)', () => {
    expect(r.findings.find((x) => x.id === 'GHSA-35jh-r3h4-6jhm')).toMatchObject({ package: { name: 'lodash' }, fixedVersion: '4.17.21' });
    expect(r.findings.find((x) => x.id === 'GHSA-c2qf-rxjj-qqgw')).toMatchObject({ package: { name: 'semver' }, fixedVersion: '7.5.2' });
    expect(r.findings.some((x) => x.package.name === 'minimist')).toBe(false);
    expect(r.coverage.checkedPackages).toBe(5);
  });
});

describe('matcher registry', () => {
  it('gives every matcher help and never throws on odd packages', () => {
    const odd: Package[] = [
      pkg('deb', '', '', ''),
      pkg('apk', 'x', 'not a version', 'f'),
      pkg('rpm', 'y', '1:', 'f'),
      pkg('npm', '@scope/z', 'v1', 'f'),
      pkg('pypi', 'Zope.Interface', '1!2', 'f'),
    ];
    for (const m of matchers.list()) {
      expect(m.help.length).toBeGreaterThan(20);
      for (const p of odd) {
        for (const d of [undefined, { id: 'debian', versionId: '', layer: LAYER }, { id: 'alpine', versionId: 'edge', layer: LAYER }]) {
          if (!m.filter(p, d)) continue;
          const q = m.query(p, d);
          expect(Array.isArray(q.namespaces) && Array.isArray(q.names)).toBe(true);
          expect(typeof m.versionOf(p)).toBe('string');
        }
      }
    }
  });
});
