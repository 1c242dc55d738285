import { describe, expect, it } from 'vitest';
import { AF_INET, AF_INET6, decodeHexAddress, formatIpv6, parseInetSockets, parseUnixSockets } from './sockets.js';

describe('procfs socket parsers', () => {
  it('decodes little-endian hex addresses', () => {
    expect(decodeHexAddress('0100007F', AF_INET)).toBe('127.0.0.1');
    expect(decodeHexAddress('00000000000000000000000001000000', AF_INET6)).toBe('::1');
    expect(decodeHexAddress('0000000000000000FFFF00000100007F', AF_INET6)).toBe('::ffff:127.0.0.1');
    expect(decodeHexAddress('B80D0120000000000000000001000000', AF_INET6)).toBe('2001:db8::1');
    expect(decodeHexAddress('zz', AF_INET)).toBe('');
  });

  it('formats IPv6 like inet_ntop', () => {
    const b = (s: string) => s.match(/../g)!.map((h) => parseInt(h, 16));
    expect(formatIpv6(b('00000000000000000000000000000000'))).toBe('::');
    expect(formatIpv6(b('fe800000000000000000000000000001'))).toBe('fe80::1');
    expect(formatIpv6(b('20010db8000100000001000000000001'))).toBe('2001:db8:1:0:1::1');
    expect(formatIpv6(b('20010db8000000010000000000000000'))).toBe('2001:db8:0:1::');
  });

  it('parses tcp lines with state names and skips short lines', () => {
    const text =
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n' +
      '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1 0 100 0 0 10 0\n' +
      '   1: 0100007F:C350 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 12346 1\n' +
      'garbage\n';
    const s = parseInetSockets(text, AF_INET, 6, 7);
    expect(s).toHaveLength(2);
    expect(s[0]).toMatchObject({ socket: '12345', localAddress: '127.0.0.1', localPort: 8080, remotePort: 0, state: 'LISTEN', netNamespace: 7 });
    expect(s[1]).toMatchObject({ localPort: 50000, remotePort: 8080, state: 'ESTABLISHED' });
    expect(parseInetSockets('bad header\n', AF_INET, 6, 0)).toEqual([]);
  });

  it('leaves state empty for udp', () => {
    const text = '   sl  local_address rem_address   st\n  5: 00000000:0044 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 999 2\n';
    expect(parseInetSockets(text, AF_INET, 17, 0)[0]).toMatchObject({ localAddress: '0.0.0.0', localPort: 68, state: '' });
  });

  it('parses unix sockets with and without paths', () => {
    const text =
      'Num       RefCount Protocol Flags    Type St Inode Path\n' +
      '0000000000000000: 00000002 00000000 00010000 0001 01 20315 /run/systemd/private\n' +
      '0000000000000000: 00000003 00000000 00000000 0001 03 20400\n' +
      '0000000000000000: 00000002 00000000 00010000 0001 01 20316 @/tmp/.X11-unix/X0\n';
    const s = parseUnixSockets(text, 3);
    expect(s.map((x) => [x.socket, x.path, x.family, x.protocol])).toEqual([
      ['20315', '/run/systemd/private', 1, 0],
      ['20400', '', 1, 0],
      ['20316', '@/tmp/.X11-unix/X0', 1, 0],
    ]);
  });

  it('never throws on random bytes', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let i = 0; i < 300; i++) {
      const len = Math.floor(rnd() * 400);
      const chars = Array.from({ length: len }, () => ' 0123456789ABCDEF:\nslNum/'.charAt(Math.floor(rnd() * 26)));
      const text = (i % 2 ? 'sl ' : 'Num ') + chars.join('');
      expect(() => parseInetSockets(text, i % 3 ? AF_INET : AF_INET6, 6, 0)).not.toThrow();
      expect(() => parseUnixSockets(text, 0)).not.toThrow();
    }
  });
});
