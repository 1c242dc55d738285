import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/image/fixtures.js';
import { rpm } from './rpm.js';
import { parseRpmHeader, splitSourceRpm } from './rpm-header.js';

function rpmTools(): string | undefined {
  try {
    execFileSync('rpmbuild', ['--version'], { stdio: 'ignore' });
    execFileSync('rpm', ['--version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'skipped: rpm and rpmbuild are not installed (apt-get install rpm)';
  }
}

/** Builds real rpms with rpmbuild and records them in a sqlite rpmdb with rpm --justdb. */
function makeRpmdb(): Buffer {
  const top = tempDir('vigil-rpm-');
  mkdirSync(join(top, 'SPECS'));
  const specs = [
    { name: 'vigil-demo', epoch: 2, version: '1.2.3', release: '4.el9' },
    { name: 'vigil-lib', epoch: 0, version: '0.9~rc1', release: '1.el9' },
  ];
  for (const s of specs) {
    writeFileSync(
      join(top, 'SPECS', `${s.name}.spec`),
      `Name: ${s.name}\nVersion: ${s.version}\nRelease: ${s.release}\n${s.epoch ? `Epoch: ${s.epoch}\n` : ''}Summary: t\nLicense: MIT\nBuildArch: noarch\n%description\nt\n%files\n`,
    );
    execFileSync('rpmbuild', ['--define', `_topdir ${top}`, '-bb', join(top, 'SPECS', `${s.name}.spec`)], { stdio: 'ignore' });
  }
  const root = join(top, 'root');
  mkdirSync(root);
  const common = ['--root', root, '--dbpath', '/var/lib/rpm', '--define', '_db_backend sqlite'];
  execFileSync('rpm', [...common, '--initdb'], { stdio: 'ignore' });
  const rpms = readdirSync(join(top, 'RPMS', 'noarch')).map((f) => join(top, 'RPMS', 'noarch', f));
  execFileSync('rpm', [...common, '-i', '--nodeps', '--justdb', ...rpms], { stdio: 'ignore' });
  return readFileSync(join(root, 'var/lib/rpm/rpmdb.sqlite'));
}

describe('rpm detector', () => {
  it.skipIf(rpmTools())('reads name, epoch, version, release, arch and source rpm from a real sqlite rpmdb', () => {
    const r = rpm.detect('var/lib/rpm/rpmdb.sqlite', makeRpmdb(), { distribution: { id: 'rocky', versionId: '9.3', layer: '' } });
    expect(r.problems).toEqual([]);
    const byName = Object.fromEntries(r.packages.map((p) => [p.name, p]));
    expect(byName['vigil-demo']).toMatchObject({ version: '2:1.2.3-4.el9', arch: 'noarch', sourceName: 'vigil-demo', sourceVersion: '2:1.2.3-4.el9' });
    expect(byName['vigil-demo']!.purl).toBe('pkg:rpm/rocky/vigil-demo@1.2.3-4.el9?arch=noarch&distro=rocky-9.3&epoch=2');
    expect(byName['vigil-lib']).toMatchObject({ version: '0.9~rc1-1.el9' });
  });

  it('reports a file that is not an sqlite database instead of throwing', () => {
    const r = rpm.detect('var/lib/rpm/rpmdb.sqlite', Buffer.from('not sqlite at all'), {});
    expect(r.packages).toEqual([]);
    expect(r.problems[0]).toMatch(/^var\/lib\/rpm\/rpmdb.sqlite: not a readable sqlite rpmdb/);
  });

  it('refuses truncated and out-of-bounds headers', () => {
    expect(parseRpmHeader(new Uint8Array(4)).ok).toBe(false);
    const h = Buffer.alloc(8 + 16 + 4);
    h.writeUInt32BE(1, 0);
    h.writeUInt32BE(4, 4);
    h.writeUInt32BE(1000, 8);
    h.writeUInt32BE(6, 12);
    h.writeInt32BE(100, 16); // offset past the data
    h.writeUInt32BE(1, 20);
    expect(parseRpmHeader(h)).toEqual({ ok: false, error: 'tag 1000: offset 100 outside the data (4 bytes)' });
  });

  it('splits source rpm file names', () => {
    expect(splitSourceRpm('openssl-3.0.7-27.el9.src.rpm')).toEqual({ name: 'openssl', version: '3.0.7', release: '27.el9' });
    expect(splitSourceRpm('python3.11-libs-3.11.5-1.el9_3.src.rpm')).toEqual({ name: 'python3.11-libs', version: '3.11.5', release: '1.el9_3' });
    expect(splitSourceRpm('junk')).toBeUndefined();
  });
});
