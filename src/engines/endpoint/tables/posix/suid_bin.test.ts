import { execFileSync } from 'node:child_process';
import { lstatSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectRows, createTestContext } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { suidBin, suidPermissions, suidRows } from './suid_bin.js';

describe('suid_bin', () => {
  it('equals find /usr/bin -perm -4000 (and -2000 for set-gid)', () => {
    const find = (perm: string) =>
      execFileSync('find', ['/usr/bin', '-type', 'f', '-perm', perm], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
    // find does not follow symlinks; osquery (and we) report a symlink to a set-uid file too.
    const rows = [...suidRows(['/usr/bin'], createTestContext())].filter((r) => !lstatSync(String(r.path)).isSymbolicLink());
    expect(rows.filter((r) => String(r.permissions).includes('S')).map((r) => r.path).sort()).toEqual(find('-4000'));
    expect(rows.filter((r) => String(r.permissions).includes('G')).map((r) => r.path).sort()).toEqual(find('-2000'));
  });

  it('names owners like ls -l does', () => {
    for (const r of [...suidRows(['/usr/bin'], createTestContext())].slice(0, 5)) {
      const [user, group] = execFileSync('stat', ['-L', '-c', '%U %G', String(r.path)], { encoding: 'utf8' }).trim().split(' ');
      expect([r.username, r.groupname]).toEqual([user, group]);
    }
  });

  it('renders S and G flags', () => {
    expect(suidPermissions(0o4755)).toBe('S');
    expect(suidPermissions(0o2755)).toBe('G');
    expect(suidPermissions(0o6755)).toBe('SG');
  });

  it.skipIf(schemaMissing)('has osquery columns', () => {
    for (const r of collectRows(suidBin).slice(0, 3)) expect(columnMismatch('suid_bin', r)).toBe('');
  });
});
