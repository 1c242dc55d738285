import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { hexToIpv4, hexToIpv6, parseFibTrieLocal, parseProcNetIpv6Route, parseProcNetRoute, routes } from './routes.js';

describe('routes', () => {
  it('equals /proc/net/route for IPv4', () => {
    const want = readFileSync('/proc/net/route', 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => (Number.parseInt(f[3], 16) & 0x200) === 0)
      .map((f) => [f[0], hexToIpv4(f[1]), Number.parseInt(f[3], 16) & 2 ? hexToIpv4(f[2]) : '']);
    const got = collectRows(routes)
      .filter((r) => !String(r.destination).includes(':') && r.type === 'gateway')
      .map((r) => [r.interface, r.destination, r.gateway]);
    expect(got).toEqual(want);
  });

  it('decodes addresses, prefixes and the preferred source of connected routes', () => {
    const text =
      'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n' +
      'eth0\t00000000\t010200C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n' +
      'eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t1500\t0\t0\n';
    const rows = parseProcNetRoute(text, () => [{ address: '192.0.2.2', prefix: 24 }]);
    expect(rows[0]).toMatchObject({ destination: '0.0.0.0', gateway: '192.0.2.1', netmask: 0, metric: 100, source: '' });
    expect(rows[1]).toMatchObject({ destination: '192.0.2.0', gateway: '', netmask: 24, mtu: 1500, source: '192.0.2.2' });
  });

  it('compresses IPv6 like inet_ntop and types local, multicast and reject routes', () => {
    expect(hexToIpv6('fe8000000000000000fc00fffe000001')).toBe('fe80::fc:ff:fe00:1');
    expect(hexToIpv6('00000000000000000000000000000001')).toBe('::1');
    expect(hexToIpv6('20010db8000000010000000000000000')).toBe('2001:db8:0:1::');
    expect(hexToIpv6('20010db8000100000001000000000001')).toBe('2001:db8:1:0:1::1');
    const text =
      '00000000000000000000000000000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000002 00000000 80200001       lo\n' +
      'ff000000000000000000000000000000 08 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000003 00000000 00000001     eth0\n' +
      '00000000000000000000000000000000 00 00000000000000000000000000000000 00 fd000000000000000000000000000001 00000400 00000002 00000000 00000003     eth0\n' +
      '00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n';
    expect(parseProcNetIpv6Route(text).map((r) => [r.destination, r.netmask, r.gateway, r.type, r.metric])).toEqual([
      ['::1', 0, '', 'local', 0],
      ['ff00::', 8, '', 'other', 256],
      ['::', 0, 'fd00::1', 'gateway', 1024],
    ]);
  });

  it('reads the local table of /proc/net/fib_trie and gives each route its interface', () => {
    const trie = [
      'Main:',
      '  +-- 0.0.0.0/0 3 0 5',
      '     |-- 0.0.0.0',
      '        /0 universe UNICAST',
      'Local:',
      '  +-- 0.0.0.0/0 3 0 5',
      '     +-- 127.0.0.0/8 2 0 2',
      '        +-- 127.0.0.0/31 1 0 0',
      '           |-- 127.0.0.0',
      '              /8 host LOCAL',
      '           |-- 127.0.0.1',
      '              /32 host LOCAL',
      '        |-- 127.255.255.255',
      '           /32 link BROADCAST',
      '     +-- 192.0.2.0/24 2 0 2',
      '           |-- 192.0.2.0',
      '              /24 link UNICAST',
      '           |-- 192.0.2.2',
      '              /32 host LOCAL',
      '        |-- 192.0.2.255',
      '           /32 link BROADCAST',
      '',
    ].join('\n');
    const own = [
      { iface: 'lo', address: '127.0.0.1', prefix: 8 },
      { iface: 'eth0', address: '192.0.2.2', prefix: 24 },
    ];
    expect(parseFibTrieLocal(trie, own).map((r) => [r.destination, r.netmask, r.interface, r.source, r.type])).toEqual([
      ['127.0.0.0', 8, 'lo', '127.0.0.1', 'local'],
      ['127.0.0.1', 0, 'lo', '127.0.0.1', 'local'],
      ['127.255.255.255', 0, 'lo', '127.0.0.1', 'broadcast'],
      ['192.0.2.2', 0, 'eth0', '192.0.2.2', 'local'],
      ['192.0.2.255', 0, 'eth0', '192.0.2.2', 'broadcast'],
    ]);
  });

  it.skipIf(schemaMissing)('has osquery columns', () => {
    for (const r of collectRows(routes)) expect(columnMismatch('routes', r)).toBe('');
  });
});
