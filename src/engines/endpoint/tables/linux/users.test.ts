import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { parsePasswd } from '../common/passwd.js';
import { users } from './users.js';

describe('users', () => {
  it('equals getent passwd', () => {
    const want = execFileSync('getent', ['passwd'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((l) => l.split(':'))
      .map((f) => ({ username: f[0], uid: Number(f[2]), gid: Number(f[3]), description: f[4], directory: f[5], shell: f[6] }));
    const got = collectRows(users).map((r) => ({
      username: r.username,
      uid: r.uid,
      gid: r.gid,
      description: r.description,
      directory: r.directory,
      shell: r.shell,
    }));
    expect(got).toEqual(want);
  });

  it('reads one account when filtered by uid or username', () => {
    expect(collectRows(users, { constraints: { uid: ['0'] } }).map((r) => r.username)).toEqual(['root']);
    expect(collectRows(users, { constraints: { username: ['root'] } }).map((r) => r.uid)).toEqual([0]);
  });

  it('shows large ids as signed 32-bit in uid_signed', () => {
    const nobody = collectRows(users).find((r) => r.uid === 4294967294 || r.uid === 65534);
    if (nobody !== undefined) expect(nobody.uid_signed).toBe(nobody.uid === 65534 ? 65534 : -2);
  });

  it('skips malformed passwd lines and reports their line numbers', () => {
    const bad: number[] = [];
    const got = parsePasswd('root:x:0:0:root:/root:/bin/sh\nbroken\n# c\nx:x:notanumber:0:::\na:x:1:2:g,e:/h:/s\n', (n) => bad.push(n));
    expect(got.map((u) => u.username)).toEqual(['root', 'a']);
    expect(bad).toEqual([2, 4]);
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    const [row] = collectRows(users);
    expect(columnMismatch('users', row!)).toBe('');
  });
});
