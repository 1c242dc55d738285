import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { UT, WTMP_FILE, encodeUtmp, parseUtmp } from '../common/utmp.js';
import { last, lastRows } from './last.js';

describe('last', () => {
  it.skipIf(!existsSync('/usr/bin/utmpdump'))('equals the user and dead records utmpdump shows for /var/log/wtmp', () => {
    const rows = collectRows(last);
    if (!existsSync(WTMP_FILE)) {
      expect(rows).toEqual([]);
      return;
    }
    const dump = execFileSync('utmpdump', [WTMP_FILE], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const want = dump === '' ? [] : dump.split('\n').map((l) => [...l.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!.trim())).filter((f) => f[0] === '7' || f[0] === '8');
    expect(rows.map((r) => [String(r.type), String(r.pid), r.username, r.tty])).toEqual(want.map((f) => [f[0], f[1], f[3], f[4]]));
  });

  it('keeps logins and logouts only', () => {
    const recs = parseUtmp(
      Buffer.concat([
        encodeUtmp({ type: UT.BOOT_TIME, user: 'reboot', time: 1 }),
        encodeUtmp({ type: UT.USER_PROCESS, pid: 9, user: 'bob', line: 'tty1', host: '', time: 2 }),
        encodeUtmp({ type: UT.DEAD_PROCESS, pid: 9, line: 'tty1', time: 3 }),
      ]),
    );
    expect(lastRows(recs)).toEqual([
      { username: 'bob', tty: 'tty1', pid: 9, type: 7, type_name: 'user-process', time: 2, host: '' },
      { username: '', tty: 'tty1', pid: 9, type: 8, type_name: 'dead-process', time: 3, host: '' },
    ]);
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    const [row] = lastRows(parseUtmp(encodeUtmp({ type: UT.USER_PROCESS, user: 'x' })));
    expect(columnMismatch('last', row!)).toBe('');
  });
});
