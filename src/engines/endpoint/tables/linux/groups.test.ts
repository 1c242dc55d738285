import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { parseGroup } from '../common/passwd.js';
import { groups } from './groups.js';

describe('groups', () => {
  it('equals getent group', () => {
    const want = execFileSync('getent', ['group'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((l) => l.split(':'))
      .map((f) => ({ groupname: f[0], gid: Number(f[2]) }));
    expect(collectRows(groups).map((r) => ({ groupname: r.groupname, gid: r.gid }))).toEqual(want);
  });

  it('reads only the asked gid', () => {
    expect(collectRows(groups, { constraints: { gid: ['0'] } }).map((r) => r.groupname)).toEqual(['root']);
  });

  it('parses members and skips malformed lines', () => {
    const bad: number[] = [];
    expect(parseGroup('sudo:x:27:alice, bob\nbad:x\nempty:x:5:\n', (n) => bad.push(n))).toEqual([
      { groupname: 'sudo', gid: 27, members: ['alice', 'bob'] },
      { groupname: 'empty', gid: 5, members: [] },
    ]);
    expect(bad).toEqual([2]);
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    const [row] = collectRows(groups);
    expect(columnMismatch('groups', row!)).toBe('');
  });
});
