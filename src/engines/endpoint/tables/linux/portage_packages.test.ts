import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { installedPackageDirs, splitAtom } from '../common/portage.js';
import { parseWorld, portagePackageRow, portagePackages } from './portage_packages.js';
import { existsSync } from 'node:fs';

describe('portage_packages', () => {
  it('splits atoms like osquery', () => {
    expect(splitAtom('dev-lang/python-3.11.4-r1')).toEqual(['dev-lang/python', '3.11.4-r1']);
    expect(splitAtom('=dev-lang/python-3.11.4')).toEqual(['dev-lang/python', '3.11.4']);
    expect(splitAtom('>=sys-apps/foo-2.0/')).toEqual(['sys-apps/foo', '>=2.0']);
    expect(splitAtom('app-misc/mc')).toEqual(['app-misc/mc', '']);
  });

  it('reads a vdb package directory and world membership', () => {
    const root = mkdtempSync(join(tmpdir(), 'vigil-vdb-'));
    try {
      const dir = join(root, 'app-shells', 'bash-5.2_p15-r6');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'SLOT'), '0\n');
      writeFileSync(join(dir, 'EAPI'), '8\n');
      writeFileSync(join(dir, 'BUILD_TIME'), '1700000000\n');
      writeFileSync(join(dir, 'SIZE'), '6946816\n');
      writeFileSync(join(dir, 'repository'), 'gentoo\n');
      expect(installedPackageDirs(root)).toEqual([dir]);
      expect(portagePackageRow(dir, root, parseWorld('# c\napp-shells/bash\n'))).toEqual({
        package: 'app-shells/bash',
        version: '5.2_p15-r6',
        slot: '0',
        build_time: 1700000000,
        repository: 'gentoo',
        eapi: 8,
        size: 6946816,
        world: 1,
      });
    } finally {
      rmSync(root, { recursive: true });
    }
  });

  it('yields nothing on a host without Portage', () => {
    if (existsSync('/var/lib/portage/world')) return;
    expect(collectRows(portagePackages)).toEqual([]);
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    expect(columnMismatch('portage_packages', portagePackageRow('/r/a/b-1', '/r', new Set()))).toBe('');
  });
});
