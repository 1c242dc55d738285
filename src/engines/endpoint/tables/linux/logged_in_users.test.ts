import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { UT, UTMP_FILE, encodeUtmp, parseUtmp } from '../common/utmp.js';
import { loggedInRows, loggedInUsers } from './logged_in_users.js';

describe('logged_in_users', () => {
  it('equals the user sessions `who` reports (nothing without utmp)', () => {
    const rows = collectRows(loggedInUsers).filter((r) => r.type === 'user');
    if (!existsSync(UTMP_FILE)) {
      expect(rows).toEqual([]);
      return;
    }
    const who = execFileSync('who', [UTMP_FILE], { encoding: 'utf8' }).trim();
    const want = who === '' ? [] : who.split('\n').map((l) => l.split(/\s+/).slice(0, 2));
    expect(rows.map((r) => [r.user, r.tty])).toEqual(want);
  });

  it('names entry types and skips init (pid 1)', () => {
    const recs = parseUtmp(
      Buffer.concat([
        encodeUtmp({ type: UT.RUN_LVL, pid: 1, user: 'runlevel' }),
        encodeUtmp({ type: UT.LOGIN_PROCESS, pid: 700, line: 'tty1', user: 'LOGIN', time: 5 }),
        encodeUtmp({ type: UT.USER_PROCESS, pid: 800, line: 'pts/1', user: 'carol', host: '198.51.100.2', time: 6 }),
        encodeUtmp({ type: 42, pid: 900 }),
      ]),
    );
    expect(loggedInRows(recs).map((r) => [r.type, r.user, r.tty, r.host, r.pid, r.time])).toEqual([
      ['login', 'LOGIN', 'tty1', '', 700, 5],
      ['user', 'carol', 'pts/1', '198.51.100.2', 800, 6],
      ['unknown', '', '', '', 900, 0],
    ]);
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    const [row] = loggedInRows(parseUtmp(encodeUtmp({ type: UT.USER_PROCESS, pid: 5 })));
    expect(columnMismatch('logged_in_users', row!)).toBe('');
  });
});
