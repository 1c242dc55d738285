import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { userGroups } from './user_groups.js';
import { users } from './users.js';

describe('user_groups', () => {
  it('equals `id -G` for every account', () => {
    for (const u of collectRows(users)) {
      const want = execFileSync('id', ['-G', String(u.username)], { encoding: 'utf8' }).trim().split(/\s+/).map(Number);
      const got = collectRows(userGroups, { constraints: { uid: [String(u.uid)] } })
        .filter((r) => r.uid === u.uid)
        .map((r) => r.gid);
      expect(new Set(got), String(u.username)).toEqual(new Set(want));
    }
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    const [row] = collectRows(userGroups);
    expect(columnMismatch('user_groups', row!)).toBe('');
  });
});
