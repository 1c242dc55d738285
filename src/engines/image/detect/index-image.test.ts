import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gzLayer, tempDir, writeOciLayout } from '../../../../test/image/fixtures.js';
import { indexImage } from './index-image.js';

function rpmMissing(): string | undefined {
  try {
    execFileSync('rpmbuild', ['--version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'skipped: rpmbuild is not installed (apt-get install rpm)';
  }
}

/** Real sqlite rpmdbs made by rpm: after installing `first`, then after also installing `second`. */
function rpmdbs(first: string[], second: string[]): [Buffer, Buffer] {
  const top = tempDir('vigil-rpm-');
  mkdirSync(join(top, 'SPECS'));
  for (const name of [...first, ...second]) {
    writeFileSync(join(top, 'SPECS', `${name}.spec`), `Name: ${name}\nVersion: 1.0\nRelease: 1.el9\nSummary: t\nLicense: MIT\nBuildArch: noarch\n%description\nt\n%files\n`);
    execFileSync('rpmbuild', ['--define', `_topdir ${top}`, '-bb', join(top, 'SPECS', `${name}.spec`)], { stdio: 'ignore' });
  }
  const rpmFile = (n: string) => join(top, 'RPMS', 'noarch', readdirSync(join(top, 'RPMS', 'noarch')).find((f) => f.startsWith(`${n}-1.0`))!);
  const root = join(top, 'root');
  const common = ['--root', root, '--dbpath', '/var/lib/rpm', '--define', '_db_backend sqlite'];
  mkdirSync(root);
  execFileSync('rpm', [...common, '--initdb'], { stdio: 'ignore' });
  execFileSync('rpm', [...common, '-i', '--nodeps', '--justdb', ...first.map(rpmFile)], { stdio: 'ignore' });
  const a = readFileSync(join(root, 'var/lib/rpm/rpmdb.sqlite'));
  execFileSync('rpm', [...common, '-i', '--nodeps', '--justdb', ...second.map(rpmFile)], { stdio: 'ignore' });
  const b = readFileSync(join(root, 'var/lib/rpm/rpmdb.sqlite'));
  return [a, b];
}

describe('indexImage on images built in the test', () => {
  it.skipIf(rpmMissing())('lists rpm, npm and python packages of a Rocky-like image with the layer of each', async () => {
    const [db1, db2] = rpmdbs(['vigil-base'], ['vigil-extra']);
    const dir = tempDir();
    const { layerDigests } = writeOciLayout(dir, [
      await gzLayer([
        { name: 'etc/os-release', content: 'NAME="Rocky Linux"\nID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.3"\nPRETTY_NAME="Rocky Linux 9.3 (Blue Onyx)"\n' },
        { name: 'var/lib/rpm/rpmdb.sqlite', content: db1 },
        { name: 'usr/lib/python3.9/site-packages/six-1.15.0.dist-info/METADATA', content: 'Metadata-Version: 2.1\nName: six\nVersion: 1.15.0\n\n' },
      ]),
      await gzLayer([
        { name: 'var/lib/rpm/rpmdb.sqlite', content: db2 },
        { name: 'srv/app/node_modules/lodash/package.json', content: '{"name":"lodash","version":"4.17.20"}' },
        { name: 'srv/app/package-lock.json', content: JSON.stringify({ lockfileVersion: 3, packages: { '': { name: 'app' }, 'node_modules/lodash': { version: '4.17.20' } } }) },
      ]),
    ]);
    const inv = await indexImage(`oci:${dir}:test`);
    expect(inv.distribution).toMatchObject({ id: 'rocky', versionId: '9.3', layer: layerDigests[0] });
    const got = inv.packages.map((p) => [p.ecosystem, p.name, p.version, layerDigests.indexOf(p.layer) + 1, p.file, p.detector]);
    expect(got).toEqual([
      ['npm', 'lodash', '4.17.20', 2, 'srv/app/node_modules/lodash/package.json', 'npm@1'],
      ['npm', 'lodash', '4.17.20', 2, 'srv/app/package-lock.json', 'npm@1'],
      ['pypi', 'six', '1.15.0', 1, 'usr/lib/python3.9/site-packages/six-1.15.0.dist-info/METADATA', 'python@1'],
      ['rpm', 'vigil-base', '1.0-1.el9', 1, 'var/lib/rpm/rpmdb.sqlite', 'rpm@1'],
      ['rpm', 'vigil-extra', '1.0-1.el9', 2, 'var/lib/rpm/rpmdb.sqlite', 'rpm@1'],
    ]);
    expect(inv.packages.find((p) => p.name === 'vigil-base')?.purl).toBe('pkg:rpm/rocky/vigil-base@1.0-1.el9?arch=noarch&distro=rocky-9.3');
    expect(inv.warnings).toEqual([]);
  });

  it('reports a damaged package database as a warning and keeps the rest', async () => {
    const dir = tempDir();
    writeOciLayout(dir, [
      await gzLayer([
        { name: 'lib/apk/db/installed', content: 'P:musl\nV:1.2.2-r3\nA:x86_64\no:musl\n\nP:broken\n\n' },
        { name: 'etc/alpine-release', content: '3.14.0\n' },
      ]),
    ]);
    const inv = await indexImage(`oci:${dir}`);
    expect(inv.distribution).toMatchObject({ id: 'alpine', versionId: '3.14.0' });
    expect(inv.packages.map((p) => p.name)).toEqual(['musl']);
    expect(inv.warnings).toEqual([expect.stringMatching(/^IMG_PACKAGE_DB_INVALID: layer 1 sha256:[0-9a-f]{64}: lib\/apk\/db\/installed:6: record without P: or V:; skipped$/)]);
  });

  it('says loudly when there is no distribution and no package database', async () => {
    const dir = tempDir();
    writeOciLayout(dir, [await gzLayer([{ name: 'app/main', content: 'binary' }])]);
    const inv = await indexImage(`oci:${dir}`);
    expect(inv.packages).toEqual([]);
    expect(inv.distribution).toBeUndefined();
    expect(inv.warnings.join('\n')).toMatch(/distribution is unknown/);
  });
});
