import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { debPackages, debRowsFromStatus } from './deb_packages.js';

const hasDpkg = existsSync('/var/lib/dpkg/status') && existsSync('/usr/bin/dpkg-query');

const STATUS = `Package: zlib1g
Status: install ok installed
Priority: optional
Section: libs
Installed-Size: 168
Maintainer: Mark Brown <broonie@debian.org>
Architecture: amd64
Multi-Arch: same
Source: zlib
Version: 1:1.2.13.dfsg-1
Description: compression library - runtime
 zlib is a library implementing the deflate compression method found
 in gzip and PKZIP.

Package: old-removed
Status: deinstall ok config-files
Architecture: all
Version: 3.0

Package: purged
Status: purge ok not-installed
Architecture: all

Package: adduser
Status: install ok installed
Architecture: all
Version: 3.134
`;

describe('deb_packages', () => {
  it.skipIf(!hasDpkg)("equals dpkg-query -W -f '${Package} ${Version}\\n'", () => {
    const want = execFileSync('dpkg-query', ['-W', '-f', '${Package} ${Version}\n'], { encoding: 'utf8' }).trim().split('\n').sort();
    const got = collectRows(debPackages).map((r) => `${r.name} ${r.version}`).sort();
    expect(got).toEqual(want);
  });

  it.skipIf(!hasDpkg)('reports status, arch and source like dpkg-query', () => {
    const line = execFileSync('dpkg-query', ['-W', '-f', '${Status}|${Architecture}|${Installed-Size}|${source:Package}\n', 'dpkg'], { encoding: 'utf8' }).trim();
    const [status, arch, size] = line.split('|');
    const [row] = collectRows(debPackages).filter((r) => r.name === 'dpkg');
    expect(row).toMatchObject({ status, arch, size: Number(size), admindir: '/var/lib/dpkg' });
  });

  it('lists installed and config-files packages, skips purged ones, sorted by name', () => {
    const rows = debRowsFromStatus(STATUS, '/x');
    expect(rows.map((r) => [r.name, r.version, r.status])).toEqual([
      ['adduser', '3.134', 'install ok installed'],
      ['old-removed', '3.0', 'deinstall ok config-files'],
      ['zlib1g', '1:1.2.13.dfsg-1', 'install ok installed'],
    ]);
    expect(rows[2]).toMatchObject({ source: 'zlib', size: 168, arch: 'amd64', revision: '1', section: 'libs', priority: 'optional' });
  });

  it('reads a database pinned with admindir', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-dpkg-'));
    try {
      writeFileSync(join(dir, 'status'), STATUS);
      const rows = collectRows(debPackages, { constraints: { admindir: [dir] } });
      expect(rows.map((r) => r.name)).toEqual(['adduser', 'old-removed', 'zlib1g']);
      expect(rows.every((r) => r.admindir === dir)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    expect(columnMismatch('deb_packages', debRowsFromStatus(STATUS, '/x')[0]!)).toBe('');
  });
});
