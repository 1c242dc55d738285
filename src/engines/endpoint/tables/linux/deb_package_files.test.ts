import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { debPackageFiles } from './deb_package_files.js';

const hasDpkg = existsSync('/var/lib/dpkg/status') && existsSync('/usr/bin/dpkg-query');

describe('deb_package_files', () => {
  it.skipIf(!hasDpkg)('equals dpkg -L for a package, including a Multi-Arch: same one', () => {
    const multiarch = execFileSync('dpkg-query', ['-W', '-f', '${Package} ${Multi-Arch}\n'], { encoding: 'utf8' })
      .split('\n')
      .find((l) => l.endsWith(' same'))
      ?.split(' ')[0];
    for (const pkg of ['dpkg', ...(multiarch ? [multiarch] : [])]) {
      const want = execFileSync('dpkg-query', ['-L', pkg], { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith('/'));
      const got = collectRows(debPackageFiles, { constraints: { package: [pkg] } }).map((r) => r.path);
      expect(got, pkg).toEqual(want);
    }
  });

  it.skipIf(!hasDpkg)('finds the package owning /usr/bin/dpkg', () => {
    const owner = execFileSync('dpkg-query', ['-S', '/usr/bin/dpkg'], { encoding: 'utf8' }).split(':')[0];
    const rows = collectRows(debPackageFiles).filter((r) => r.path === '/usr/bin/dpkg');
    expect(rows.map((r) => r.package)).toEqual([owner]);
  });

  it.skipIf(schemaMissing || !hasDpkg)('has exactly osquery columns', () => {
    const [row] = collectRows(debPackageFiles, { constraints: { package: ['dpkg'] } });
    expect(columnMismatch('deb_package_files', row!)).toBe('');
  });
});
