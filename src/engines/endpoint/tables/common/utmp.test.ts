import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UT, encodeUtmp, parseUtmp } from './utmp.js';

const RECORDS = [
  { type: UT.BOOT_TIME, pid: 0, line: '~', user: 'reboot', host: '6.1.0-13-amd64', time: 1700000000 },
  { type: UT.USER_PROCESS, pid: 4242, line: 'pts/0', id: 'ts/0', user: 'alice', host: '192.0.2.7', session: 3, time: 1700000100, usec: 5 },
  { type: UT.DEAD_PROCESS, pid: 4242, line: 'pts/0', id: 'ts/0', user: '', host: '', time: 1700000200 },
];

describe('utmp records', () => {
  it('round-trips the glibc layout', () => {
    const parsed = parseUtmp(Buffer.concat(RECORDS.map(encodeUtmp)));
    expect(parsed).toHaveLength(3);
    expect(parsed[1]).toEqual({ type: 7, pid: 4242, line: 'pts/0', id: 'ts/0', user: 'alice', host: '192.0.2.7', session: 3, time: 1700000100, usec: 5 });
  });

  it.skipIf(!existsSync('/usr/bin/utmpdump'))('decodes records the way util-linux utmpdump reads them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-utmp-'));
    try {
      const file = join(dir, 'wtmp');
      writeFileSync(file, Buffer.concat(RECORDS.map(encodeUtmp)));
      const dump = execFileSync('utmpdump', [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n');
      const fields = dump.map((l) => [...l.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!.trim()));
      const ours = parseUtmp(Buffer.concat(RECORDS.map(encodeUtmp)));
      expect(fields.map((f) => [Number(f[0]), Number(f[1]), f[3], f[4], f[5]])).toEqual(ours.map((r) => [r.type, r.pid, r.user, r.line, r.host]));
      expect(fields.map((f) => Math.floor(Date.parse(f[7]!.replace(',', '.')) / 1000))).toEqual(ours.map((r) => r.time));
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('ignores a trailing partial record and never throws on random bytes', () => {
    expect(parseUtmp(Buffer.alloc(383))).toEqual([]);
    let seed = 3;
    for (let i = 0; i < 200; i++) {
      const b = Buffer.alloc((i * 97) % 1500);
      for (let k = 0; k < b.length; k++) b[k] = (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
      expect(() => parseUtmp(b)).not.toThrow();
    }
  });
});
