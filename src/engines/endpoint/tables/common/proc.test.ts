import { describe, expect, it } from 'vitest';
import {
  parseCgroupPath,
  parseEnviron,
  parseMaps,
  parseNamespaceLink,
  parseProcIo,
  parseProcStat,
  parseProcStatus,
} from './proc.js';

describe('procfs parsers', () => {
  it('counts stat fields from the last parenthesis when the name has spaces and parens', () => {
    const s = parseProcStat('42 (a b) c) S 7 42 42 0 -1 4194560 1 0 0 0 15 3 0 0 20 5 2 0 1234 1000 200 1');
    expect(s).toMatchObject({ comm: 'a b) c', state: 'S', parent: 7, pgroup: 42, userTicks: 15, systemTicks: 3, nice: 5, threads: 2, startTicks: 1234 });
  });

  it('rejects a truncated stat line', () => {
    expect(parseProcStat('42 (x) S 1 2')).toBeUndefined();
    expect(parseProcStat('garbage')).toBeUndefined();
  });

  it('reads ids and memory from status', () => {
    const s = parseProcStatus('Name:\tbash\nUid:\t1000\t1001\t1002\t1003\nGid:\t5\t6\t7\t8\nVmSize:\t  2048 kB\nVmRSS:\t 512 kB\n');
    expect(s).toEqual({ name: 'bash', uid: [1000, 1001, 1002, 1003], gid: [5, 6, 7, 8], vmSizeKb: 2048, vmRssKb: 512 });
  });

  it('reads io counters', () => {
    expect(parseProcIo('rchar: 1\nread_bytes: 4096\nwrite_bytes: 8192\ncancelled_write_bytes: 100\n')).toEqual({
      readBytes: 4096,
      writeBytes: 8192,
      cancelledWriteBytes: 100,
    });
  });

  it('takes the path of the first cgroup line, keeping colons in names', () => {
    expect(parseCgroupPath('0::/user.slice/a:b\n')).toBe('/user.slice/a:b');
    expect(parseCgroupPath('12:cpu,cpuacct:/docker/x\n1:name=systemd:/y\n')).toBe('/docker/x');
    expect(parseCgroupPath('')).toBe('');
  });

  it('splits environ on NUL and the first =', () => {
    expect(parseEnviron(Buffer.from('A=1\0B=x=y\0NOVALUE\0\0'))).toEqual([
      ['A', '1'],
      ['B', 'x=y'],
      ['NOVALUE', ''],
    ]);
  });

  it('parses maps lines, paths with spaces and pseudo regions', () => {
    const m = parseMaps(
      '7f00-7f10 r-xp 00001000 08:02 1234 /usr/lib/a b.so\n7ffd-7ffe rw-p 00000000 00:00 0 [stack]\n5555-5556 rw-p 00000000 00:00 0\n7f20-7f30 rw-s 00000000 00:01 1046 /dev/zero (deleted)\n',
    );
    expect(m[0]).toMatchObject({ start: '0x7f00', end: '0x7f10', offset: 4096, inode: 1234, path: '/usr/lib/a b.so', pseudo: 0 });
    expect(m[1]).toMatchObject({ path: '[stack]', pseudo: 1 });
    expect(m[2]).toMatchObject({ path: '', pseudo: 0 });
    expect(m[3]).toMatchObject({ path: '/dev/zero', inode: 1046 });
  });

  it('reads namespace inodes only for the right kind', () => {
    expect(parseNamespaceLink('net:[4026531840]', 'net')).toBe(4026531840);
    expect(parseNamespaceLink('net:[4026531840]', 'pid')).toBeUndefined();
    expect(parseNamespaceLink('', 'net')).toBeUndefined();
  });
});
