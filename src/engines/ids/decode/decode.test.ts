import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedMissing, sharedPath } from '../../../../test/support/shared.js';
import {
  buildEthernet,
  buildGre,
  buildIcmp,
  buildIpv4,
  buildIpv6,
  buildLinuxCooked,
  buildLoopback,
  buildTcp,
  buildTcpSegment,
  buildUdp,
  buildUdpDatagram,
  concat,
  LINK,
  toBytes,
} from '../../../../test/support/pcap-writer.js';
import { readCaptureFile } from '../acquire/capture-reader.js';
import type { Ipv4Info, Ipv6Info, Packet, RawPacket } from '../types.js';
import { createDecodeStats, decodePacket, hasBadChecksum } from './decode.js';
import { PacketDecoder } from './packet-decoder.js';

let num = 0;
function raw(data: Uint8Array, linkType: number = LINK.ETHERNET): RawPacket {
  num++;
  return { num, tsSec: 1_700_000_000, tsUsec: 0, linkType, data, wireLen: data.length };
}
function dec(data: Uint8Array, linkType: number = LINK.ETHERNET, checksums: 'all' | 'none' = 'none'): Packet {
  return decodePacket(raw(data, linkType), { checksums });
}
function sids(p: Packet): string[] {
  return p.events.map((e) => `${e.gid}:${e.sid}`);
}
const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');
const v4 = (p: Packet): Ipv4Info => p.ip as Ipv4Info;
const v6 = (p: Packet): Ipv6Info => p.ip as Ipv6Info;
const tcpSpec = { src: '10.1.2.3', dst: '192.168.0.9', sport: 40000, dport: 80, flags: 'PA', seq: 1000, ack: 2000, payload: 'GET /x HTTP/1.1\r\n\r\n' };

describe('ethernet / IPv4 / TCP', () => {
  it('decodes addresses, ports, flags, options and payload of a TCP segment', () => {
    const p = dec(buildTcp({ ...tcpSpec, options: [2, 4, 5, 0xb4, 1, 3, 3, 7], ttl: 33, ipId: 77, tos: 0x10 }));
    expect(p.layers).toEqual(['eth', 'ipv4', 'tcp']);
    expect(v4(p).src).toBe(0x0a010203);
    expect(v4(p).dst).toBe(0xc0a80009);
    expect([v4(p).ttl, v4(p).id, v4(p).tos, v4(p).proto]).toEqual([33, 77, 0x10, 6]);
    expect(p.tcp).toMatchObject({ srcPort: 40000, dstPort: 80, seq: 1000, ack: 2000, flags: 0x18, headerLen: 28, options: [2, 1, 3] });
    expect([p.proto, p.srcPort, p.dstPort]).toEqual([6, 40000, 80]);
    expect(text(p.payload)).toBe('GET /x HTTP/1.1\r\n\r\n');
    expect(p.events).toEqual([]);
    expect(p.isFragment).toBe(false);
  });

  it('ignores Ethernet padding after the IP datagram', () => {
    const f = concat(buildTcp({ ...tcpSpec, flags: 'A', payload: '' }), new Uint8Array(6));
    expect(dec(f).payload.length).toBe(0);
  });

  it('reads IPv4 options', () => {
    const p = dec(buildTcp({ ...tcpSpec, ipOptions: [7, 7, 4, 0, 0, 0, 0, 1] }));
    expect(v4(p).options).toEqual([7, 1]);
    expect(v4(p).headerLen).toBe(28);
    expect(text(p.payload)).toContain('GET');
  });

  it('raises 116:444 when IPv4 options are present', () => {
    expect(sids(dec(buildTcp({ ...tcpSpec, ipOptions: [7, 7, 4, 0, 0, 0, 0, 1] })))).toEqual(['116:444']);
  });

  it('raises 116:402 for the Naptha SYN and 116:433 for the shaft SYN flood', () => {
    expect(sids(dec(buildTcp({ ...tcpSpec, flags: 'S', seq: 0x005c7b2a, ipId: 413, payload: '' })))).toEqual(['116:402']);
    expect(sids(dec(buildTcp({ ...tcpSpec, flags: 'S', seq: 674711609, payload: '' })))).toEqual(['116:433']);
  });

  it('raises 116:4 and 116:5 for bad and truncated IPv4 options', () => {
    expect(sids(dec(buildTcp({ ...tcpSpec, ipOptions: [7, 1, 0, 0] })))).toContain('116:4');
    expect(sids(dec(buildTcp({ ...tcpSpec, ipOptions: [1, 1, 1, 7] })))).toContain('116:5');
  });

  it('gives each packet its own layer list and option kinds when a longer one was decoded before it', () => {
    const long = dec(buildTcp({ ...tcpSpec, vlan: [100, 200], qinq: true, options: [2, 4, 5, 0xb4, 1, 3, 3, 7] }));
    const short = dec(buildTcp({ ...tcpSpec, options: [2, 4, 5, 0xb4] }));
    expect(long.layers).toEqual(['eth', 'vlan', 'vlan', 'ipv4', 'tcp']);
    expect(long.tcp?.options).toEqual([2, 1, 3]);
    expect(short.layers).toEqual(['eth', 'ipv4', 'tcp']);
    expect(short.tcp?.options).toEqual([2]);
  });
});

describe('link types', () => {
  const ip = buildIpv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17 }, buildUdpDatagram({ src: '10.0.0.1', dst: '10.0.0.2', sport: 5, dport: 53, payload: 'q' }));
  const ip6 = buildIpv6({ src: 'fe80::1', dst: 'fe80::2', proto: 17 }, buildUdpDatagram({ src: 'fe80::1', dst: 'fe80::2', sport: 5, dport: 53, payload: 'q' }));
  const cases: [string, Uint8Array, number, string[]][] = [
    ['raw IPv4 (101)', ip, LINK.RAW, ['ipv4', 'udp']],
    ['raw IPv6 (101)', ip6, LINK.RAW, ['ipv6', 'udp']],
    ['IPv4 (228)', ip, LINK.IPV4, ['ipv4', 'udp']],
    ['IPv6 (229)', ip6, LINK.IPV6, ['ipv6', 'udp']],
    ['Linux cooked v1', buildLinuxCooked(ip, 1), LINK.LINUX_SLL, ['sll', 'ipv4', 'udp']],
    ['Linux cooked v2', buildLinuxCooked(ip6, 2), LINK.LINUX_SLL2, ['sll2', 'ipv6', 'udp']],
    ['BSD loopback, little-endian family', buildLoopback(ip, 'null-le'), LINK.NULL, ['loop', 'ipv4', 'udp']],
    ['BSD loopback, big-endian family', buildLoopback(ip6, 'null-be'), LINK.NULL, ['loop', 'ipv6', 'udp']],
    ['OpenBSD loopback', buildLoopback(ip, 'loop'), LINK.LOOP, ['loop', 'ipv4', 'udp']],
  ];
  it.each(cases)('decodes %s', (_name, data, lt, layers) => {
    const p = dec(data, lt);
    expect(p.layers).toEqual(layers);
    expect(p.dstPort).toBe(53);
    expect(text(p.payload)).toBe('q');
  });

  it('leaves an unknown link type undecoded without an error', () => {
    const p = dec(ip, 9999);
    expect(p.layers).toEqual(['unknown-link']);
    expect(p.ip).toBeUndefined();
  });
});

describe('encapsulations', () => {
  it('decodes 802.1Q and QinQ tags', () => {
    expect(dec(buildTcp({ ...tcpSpec, vlan: [100] })).layers).toEqual(['eth', 'vlan', 'ipv4', 'tcp']);
    const q = dec(buildTcp({ ...tcpSpec, vlan: [100, 200], qinq: true }));
    expect(q.layers).toEqual(['eth', 'vlan', 'vlan', 'ipv4', 'tcp']);
    expect(text(q.payload)).toContain('GET');
  });

  it('decodes an MPLS label stack', () => {
    const p = dec(buildTcp({ ...tcpSpec, mpls: [16, 17, 18] }));
    expect(p.layers).toEqual(['eth', 'mpls', 'ipv4', 'tcp']);
    expect(p.dstPort).toBe(80);
  });

  it('decodes PPPoE sessions carrying IPv4 and IPv6', () => {
    expect(dec(buildTcp({ ...tcpSpec, pppoe: 7 })).layers).toEqual(['eth', 'pppoe', 'ipv4', 'tcp']);
    expect(dec(buildTcp({ ...tcpSpec, src: '2001:db8::1', dst: '2001:db8::2', pppoe: 7 })).layers).toEqual(['eth', 'pppoe', 'ipv6', 'tcp']);
  });

  it('decodes GRE with and without a key, and IP-in-IP, using the innermost IP', () => {
    const inner = buildTcp({ ...tcpSpec, rawIp: true });
    for (const key of [undefined, 42]) {
      const p = dec(buildEthernet(buildGre(inner, { src: '1.1.1.1', dst: '2.2.2.2', key })));
      expect(p.layers).toEqual(['eth', 'ipv4', 'gre', 'ipv4', 'tcp']);
      expect(v4(p).src).toBe(0x0a010203);
      expect(text(p.payload)).toContain('GET');
      // Snort 3 raises 116:293 only when max_ip_layers is configured (default: unlimited).
      expect(sids(p)).toEqual([]);
    }
    const ipip = dec(buildEthernet(buildIpv4({ src: '1.1.1.1', dst: '2.2.2.2', proto: 4 }, inner)));
    expect(ipip.layers).toEqual(['eth', 'ipv4', 'ipv4', 'tcp']);
  });

  it('decodes the UDP tunnels Snort 3 follows by default: VXLAN, Geneve and Teredo', () => {
    const innerFrame = buildTcp({ ...tcpSpec });
    const vx = dec(buildUdp({ src: '1.1.1.1', dst: '2.2.2.2', sport: 5555, dport: 4789, payload: concat(toBytes([8, 0, 0, 0, 0, 0, 42, 0]), innerFrame) }));
    expect(vx.layers).toEqual(['eth', 'ipv4', 'udp', 'vxlan', 'eth', 'ipv4', 'tcp']);
    expect(vx.dstPort).toBe(80);
    expect(text(vx.payload)).toContain('GET');
    const gv = dec(buildUdp({ src: '1.1.1.1', dst: '2.2.2.2', sport: 5555, dport: 6081, payload: concat(toBytes([0, 0, 0x65, 0x58, 0, 0, 1, 0]), innerFrame) }));
    expect(gv.layers).toEqual(['eth', 'ipv4', 'udp', 'geneve', 'eth', 'ipv4', 'tcp']);
    const v6 = buildTcp({ ...tcpSpec, src: '2001::1', dst: '2001::2', rawIp: true });
    const td = dec(buildUdp({ src: '1.1.1.1', dst: '2.2.2.2', sport: 3544, dport: 5000, payload: v6 }));
    expect(td.layers).toEqual(['eth', 'ipv4', 'udp', 'teredo', 'ipv6', 'tcp']);
    // Not an IPv6 packet on the Teredo port: plain UDP, no event.
    const notTeredo = dec(buildUdp({ src: '1.1.1.1', dst: '2.2.2.2', sport: 3544, dport: 5000, payload: 'hello' }));
    expect(notTeredo.layers).toEqual(['eth', 'ipv4', 'udp']);
    expect(notTeredo.events).toEqual([]);
  });

  it('decodes ERSPAN type II and III mirrored frames inside GRE', () => {
    const inner = buildTcp({ ...tcpSpec });
    const gre2 = concat(toBytes([0x10, 0, 0x88, 0xbe, 0, 0, 0, 1, 0x10, 0x01, 0, 0, 0, 0, 0, 0]), inner);
    const p2 = dec(buildEthernet(buildIpv4({ src: '1.1.1.1', dst: '2.2.2.2', proto: 47 }, gre2)));
    expect(p2.layers).toEqual(['eth', 'ipv4', 'gre', 'erspan', 'eth', 'ipv4', 'tcp']);
    const gre3 = concat(toBytes([0, 0, 0x22, 0xeb, 0x20, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), inner);
    expect(dec(buildEthernet(buildIpv4({ src: '1.1.1.1', dst: '2.2.2.2', proto: 47 }, gre3))).dstPort).toBe(80);
    const bad = concat(toBytes([0, 0, 0x88, 0xbe, 0x70, 1, 0, 0, 0, 0, 0, 0]), inner);
    expect(sids(dec(buildEthernet(buildIpv4({ src: '1.1.1.1', dst: '2.2.2.2', proto: 47 }, bad))))).toContain('116:462');
  });

  it('raises 116:162 for a GRE version it does not know', () => {
    const ip = buildIpv4({ src: '1.1.1.1', dst: '2.2.2.2', proto: 47 }, toBytes([0, 5, 8, 0, 1, 2, 3, 4]));
    expect(sids(dec(buildEthernet(ip)))).toContain('116:162');
  });

  it('raises 116:130 and 116:170 for cut VLAN and MPLS headers', () => {
    const v = buildTcp({ ...tcpSpec, vlan: [5] }).subarray(0, 16);
    expect(sids(dec(v))).toEqual(['116:130']);
    const m = buildTcp({ ...tcpSpec, mpls: [5, 6] }).subarray(0, 20);
    expect(sids(dec(m))).toEqual(['116:170']);
  });
});

describe('IPv6', () => {
  const s6 = { ...tcpSpec, src: '2001:db8::1', dst: '2001:db8::2' };
  it('decodes addresses, hop limit and TCP', () => {
    const p = dec(buildTcp({ ...s6, ttl: 9 }));
    expect(p.layers).toEqual(['eth', 'ipv6', 'tcp']);
    expect(Buffer.from(v6(p).src).toString('hex')).toBe('20010db8000000000000000000000001');
    expect(v6(p).hopLimit).toBe(9);
    expect(text(p.payload)).toContain('GET');
  });

  it('walks hop-by-hop, routing and destination options headers', () => {
    const p = dec(buildTcp({ ...s6, ext: [{ type: 0 }, { type: 43 }, { type: 60 }] }));
    expect(v6(p).extHeaders).toEqual([0, 43, 60]);
    expect(v6(p).proto).toBe(6);
    expect(p.dstPort).toBe(80);
  });

  it('raises 116:296 for a hop-by-hop header that is not first and 116:292 for dest opts before routing', () => {
    expect(sids(dec(buildTcp({ ...s6, ext: [{ type: 60 }, { type: 0 }] })))).toContain('116:296');
    expect(sids(dec(buildTcp({ ...s6, ext: [{ type: 60 }, { type: 43 }] })))).toContain('116:292');
  });

  it('raises 116:273 for a cut header and 116:275 for a payload length past the capture', () => {
    const f = buildTcp(s6);
    expect(sids(dec(f.subarray(0, 14 + 30)))).toEqual(['116:273']);
    expect(sids(dec(f.subarray(0, f.length - 3)))).toEqual(['116:275']);
  });

  it('raises 116:272 for a truncated extension header', () => {
    const ip = buildIpv6({ src: 'fe80::1', dst: 'fe80::2', proto: 6, ext: [{ type: 0 }], payloadLen: 4 }, new Uint8Array(0));
    expect(sids(dec(concat(ip.subarray(0, 44)), LINK.IPV6))).toContain('116:272');
  });

  it('decodes ICMPv6 echo with id and sequence', () => {
    const p = dec(buildIcmp({ src: 'fe80::1', dst: 'fe80::2', type: 128, id: 9, seq: 3, payload: 'ping' }), LINK.ETHERNET, 'all');
    expect(p.icmp).toMatchObject({ version: 6, type: 128, code: 0, id: 9, seq: 3, checksumOk: true });
    expect(text(p.payload)).toBe('ping');
  });
});

describe('UDP and ICMP', () => {
  it('decodes UDP', () => {
    const p = dec(buildUdp({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1111, dport: 53, payload: 'dns' }));
    expect(p.udp).toMatchObject({ srcPort: 1111, dstPort: 53, length: 11 });
    expect(text(p.payload)).toBe('dns');
  });

  it('raises 116:95, 116:96, 116:97 and 116:98 for bad UDP lengths', () => {
    const base = { src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, payload: 'abcdef' };
    const cut = buildIpv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17 }, toBytes([0, 1, 0, 2]));
    expect(sids(dec(cut, LINK.IPV4))).toContain('116:95');
    expect(sids(dec(buildUdp({ ...base, length: 4 })))).toContain('116:96');
    expect(sids(dec(buildUdp({ ...base, length: 40 })))).toContain('116:97');
    const long = dec(buildUdp({ ...base, length: 10 }));
    expect(sids(long)).toContain('116:98');
    expect(text(long.payload)).toBe('ab');
  });

  it('decodes ICMP echo id and sequence, and raises 116:105 on a cut header', () => {
    const p = dec(buildIcmp({ src: '10.0.0.1', dst: '10.0.0.2', type: 8, id: 0x1234, seq: 7, payload: 'abc' }));
    expect(p.icmp).toMatchObject({ version: 4, type: 8, code: 0, id: 0x1234, seq: 7 });
    expect(text(p.payload)).toBe('abc');
    const cut = buildIpv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 1 }, toBytes([8, 0, 0, 0, 1]));
    expect(sids(dec(cut, LINK.IPV4))).toContain('116:105');
    const unreach = dec(buildIcmp({ src: '10.0.0.1', dst: '10.0.0.2', type: 3, code: 3, payload: 'short' }));
    expect(unreach.icmp?.id).toBeUndefined();
    expect(sids(unreach)).toContain('116:250');
  });
});

describe('malformed IPv4 and TCP', () => {
  const good = buildTcp(tcpSpec);
  it('raises 116:424 for a cut Ethernet header and 116:425 for a cut IPv4 header', () => {
    expect(sids(dec(good.subarray(0, 10)))).toEqual(['116:424']);
    expect(sids(dec(good.subarray(0, 20)))).toEqual(['116:425']);
  });

  it('raises 116:2 when the IPv4 header length is below 20', () => {
    const f = Uint8Array.from(good);
    f[14] = 0x44;
    const p = dec(f);
    expect(sids(p)).toEqual(['116:2']);
    expect(p.ip).toBeUndefined();
  });

  it('raises 116:6 when the datagram is longer than the capture (snaplen cut) and keeps the link layer', () => {
    const p = dec(good.subarray(0, good.length - 4));
    expect(sids(p)).toEqual(['116:6']);
    expect(p.layers).toEqual(['eth']);
  });

  it('raises 116:3 when the total length is below the header length', () => {
    const ip = buildIpv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 6, totalLen: 12 }, new Uint8Array(20));
    expect(sids(dec(ip, LINK.IPV4))).toEqual(['116:3']);
  });

  it('raises 116:45, 116:46 and 116:47 for short TCP headers', () => {
    const ip = (seg: Uint8Array): Uint8Array => buildIpv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 6 }, seg);
    expect(sids(dec(ip(new Uint8Array(12)), LINK.IPV4))).toEqual(['116:45']);
    expect(sids(dec(ip(buildTcpSegment({ ...tcpSpec, dataOffset: 3 })), LINK.IPV4))).toEqual(['116:46']);
    expect(sids(dec(ip(buildTcpSegment({ ...tcpSpec, payload: '', dataOffset: 9 })), LINK.IPV4))).toEqual(['116:47']);
  });

  it('raises TCP option events 116:54, 116:55, 116:59 and 116:58', () => {
    expect(sids(dec(buildTcp({ ...tcpSpec, options: [2, 3, 5, 0xb4] })))).toContain('116:54');
    expect(sids(dec(buildTcp({ ...tcpSpec, options: [1, 1, 8, 10] })))).toContain('116:55');
    expect(sids(dec(buildTcp({ ...tcpSpec, options: [3, 3, 15, 1] })))).toContain('116:59');
    expect(sids(dec(buildTcp({ ...tcpSpec, options: [200, 2, 1, 1] })))).toContain('116:58');
  });

  it('raises flag anomalies: SYN+FIN, SYN+RST, XMAS, no SYN/ACK/RST, bad urgent pointer, port 0', () => {
    expect(sids(dec(buildTcp({ ...tcpSpec, flags: 'SF', payload: '' })))).toEqual(expect.arrayContaining(['116:420', '116:422']));
    expect(sids(dec(buildTcp({ ...tcpSpec, flags: 'SR', payload: '' })))).toContain('116:421');
    expect(sids(dec(buildTcp({ ...tcpSpec, flags: 'FPU', payload: '' })))).toEqual(expect.arrayContaining(['116:401', '116:423', '116:419']));
    expect(sids(dec(buildTcp({ ...tcpSpec, sport: 0 })))).toContain('116:446');
    expect(sids(dec(buildTcp({ ...tcpSpec, flags: 'A' })))).toEqual([]);
  });

  it('raises address anomalies for same src/dst, loopback and broadcast', () => {
    expect(sids(dec(buildTcp({ ...tcpSpec, src: '10.0.0.1', dst: '10.0.0.1' })))).toContain('116:151');
    expect(sids(dec(buildTcp({ ...tcpSpec, src: '127.0.0.1' })))).toContain('116:150');
    expect(sids(dec(buildUdp({ src: '10.0.0.1', dst: '255.255.255.255', sport: 68, dport: 67 })))).toContain('116:414');
  });
});

describe('checksums', () => {
  it('marks every layer good with -k all and leaves them unknown with -k none', () => {
    const p = dec(buildTcp(tcpSpec), LINK.ETHERNET, 'all');
    expect([v4(p).checksumOk, p.tcp?.checksumOk]).toEqual([true, true]);
    const u = dec(buildUdp({ src: '2001:db8::1', dst: '2001:db8::2', sport: 1, dport: 2, payload: 'odd' }), LINK.ETHERNET, 'all');
    expect(u.udp?.checksumOk).toBe(true);
    const n = dec(buildTcp(tcpSpec));
    expect([v4(n).checksumOk, n.tcp?.checksumOk]).toEqual([undefined, undefined]);
    expect(hasBadChecksum(n)).toBe(false);
  });

  it('flags and counts bad TCP, UDP, ICMP and IP checksums with -k all', () => {
    const stats = createDecodeStats();
    const k = (d: Uint8Array): Packet => decodePacket(raw(d), { checksums: 'all', stats });
    const t = k(buildTcp({ ...tcpSpec, badChecksum: true }));
    expect(t.tcp?.checksumOk).toBe(false);
    expect(hasBadChecksum(t)).toBe(true);
    expect(k(buildUdp({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, badChecksum: true })).udp?.checksumOk).toBe(false);
    expect(k(buildIcmp({ src: '10.0.0.1', dst: '10.0.0.2', type: 8, badChecksum: true })).icmp?.checksumOk).toBe(false);
    const ipBad = k(buildEthernet(buildIpv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 6, badChecksum: true }, buildTcpSegment({ ...tcpSpec, src: '10.0.0.1', dst: '10.0.0.2' }))));
    expect(v4(ipBad).checksumOk).toBe(false);
    expect(ipBad.tcp).toBeUndefined();
    expect([stats.badChecksumTcp, stats.badChecksumUdp, stats.badChecksumIcmp, stats.badChecksumIp]).toEqual([1, 1, 1, 1]);
    // Same bad packets pass with -k none.
    expect(hasBadChecksum(dec(buildTcp({ ...tcpSpec, badChecksum: true })))).toBe(false);
  });
});

describe('fuzz', () => {
  it('never throws on mutated and truncated packets of every kind', () => {
    const seeds: [Uint8Array, number][] = [
      [buildTcp({ ...tcpSpec, options: [2, 4, 5, 0xb4, 4, 2, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8] }), LINK.ETHERNET],
      [buildTcp({ ...tcpSpec, src: '2001:db8::1', dst: '2001:db8::2', ext: [{ type: 0 }, { type: 60 }], vlan: [3] }), LINK.ETHERNET],
      [buildUdp({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, payload: 'x', mpls: [1, 2] }), LINK.ETHERNET],
      [buildEthernet(buildGre(buildTcp({ ...tcpSpec, rawIp: true }), { src: '1.1.1.1', dst: '2.2.2.2', key: 1 })), LINK.ETHERNET],
      [buildIcmp({ src: '10.0.0.1', dst: '10.0.0.2', type: 3, payload: buildTcp({ ...tcpSpec, rawIp: true }) }), LINK.ETHERNET],
      [buildLinuxCooked(buildTcp({ ...tcpSpec, rawIp: true }), 2), LINK.LINUX_SLL2],
      [buildTcp({ ...tcpSpec, pppoe: 1, ipOptions: [7, 7, 4, 0, 0, 0, 0] }), LINK.ETHERNET],
    ];
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const decoder = new PacketDecoder({ checksums: 'all' });
    for (let i = 0; i < 20000; i++) {
      const [base, lt] = seeds[i % seeds.length];
      const b = Uint8Array.from(base);
      const n = 1 + rnd(8);
      for (let k = 0; k < n; k++) b[rnd(b.length)] = rnd(256);
      const d = rnd(3) === 0 ? b.subarray(0, rnd(b.length + 1)) : b;
      const p = decoder.decode(raw(d, rnd(10) === 0 ? rnd(300) : lt));
      expect(p.payload.length).toBeLessThanOrEqual(d.length);
      decoder.reassemble(p);
    }
    expect(decoder.stats.packets).toBe(20000);
  });
});

const missing = sharedMissing('ids', 'pcaps');
describe.skipIf(missing)('real pcaps', () => {
  const dir = sharedPath('ids', 'pcaps');
  const files = missing ? [] : readdirSync(dir).filter((f) => f.endsWith('.pcap'));
  it('decodes every packet of every capture without throwing', () => {
    for (const f of files) {
      const decoder = new PacketDecoder({ checksums: 'all' });
      for (const r of readCaptureFile(join(dir, f))) {
        const p = decoder.decode(r);
        decoder.reassemble(p);
      }
      expect(decoder.stats.packets, f).toBeGreaterThan(0);
      expect(decoder.stats.ipv4 + decoder.stats.ipv6, f).toBeGreaterThan(0);
    }
  });

  it('finds the same TCP, UDP, ICMP and IPv6 packets as tcpdump in every capture', () => {
    try {
      execFileSync('tcpdump', ['--version'], { stdio: 'ignore' });
    } catch {
      console.warn('skipped the tcpdump cross-check: tcpdump is not installed');
      return;
    }
    // Like Snort, the decoder leaves the transport of any IPv4 fragment (even the first) to defrag.
    const whole = '(ip6 or ip[6:2] & 0x3fff = 0)';
    const filters = { tcp: `tcp and ${whole}`, udp: `udp and ${whole}`, icmp: `icmp and ${whole}`, ip6: 'ip6' } as const;
    for (const f of files) {
      const path = join(dir, f);
      const got = { tcp: 0, udp: 0, icmp: 0, ip6: 0 };
      const decoder = new PacketDecoder();
      for (const r of readCaptureFile(path)) {
        const p = decoder.decode(r);
        if (p.tcp) got.tcp++;
        if (p.udp) got.udp++;
        if (p.icmp?.version === 4) got.icmp++;
        if (p.ip?.version === 6) got.ip6++;
      }
      const want = { tcp: 0, udp: 0, icmp: 0, ip6: 0 };
      for (const k of Object.keys(filters) as (keyof typeof filters)[]) {
        const out = execFileSync('tcpdump', ['-r', path, '--count', filters[k]], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
        want[k] = Number(/(\d+) packets?/.exec(out)?.[1]);
      }
      expect(got, f).toEqual(want);
    }
  });

  it('never throws on mutated real packets (fuzz)', () => {
    const seeds: RawPacket[] = [];
    for (const f of ['cs-ek_to_cryptowall4.pcap', 'sv-smb2-psexec-add-user.pcap', 'cs-ip_frag_source.pcap', 'sv-dns-tcp-multirequest.pcap', 'cs-icmp_traceroute.pcap']) {
      for (const r of readCaptureFile(join(dir, f))) seeds.push(r);
    }
    let seed = 21;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const decoder = new PacketDecoder({ checksums: 'all' });
    for (let i = 0; i < 15000; i++) {
      const base = seeds[rnd(seeds.length)];
      const b = Uint8Array.from(base.data);
      // Mostly header bytes (the first 80), where the decoder makes its decisions.
      for (let k = 1 + rnd(6); k > 0; k--) b[rnd(Math.min(b.length, rnd(4) === 0 ? b.length : 80))] = rnd(256);
      const data = rnd(5) === 0 ? b.subarray(0, rnd(b.length + 1)) : b;
      const p = decoder.decode({ ...base, data });
      expect(p.payload.length).toBeLessThanOrEqual(data.length);
      decoder.reassemble(p);
    }
    expect(decoder.stats.packets).toBe(15000);
  });

  it('reassembles the fragmented ICMP datagrams of cs-ip_frag_source', () => {
    const decoder = new PacketDecoder();
    const whole: Packet[] = [];
    for (const r of readCaptureFile(join(dir, 'cs-ip_frag_source.pcap'))) {
      const w = decoder.reassemble(decoder.decode(r));
      if (w) whole.push(w);
    }
    expect(decoder.stats.fragments).toBeGreaterThan(0);
    // 1480 + 1480 + 548 bytes of an ICMP echo request and its reply (tcpdump: "length 1480" on the first fragment).
    expect(whole.map((w) => w.icmp?.type)).toEqual([8, 0]);
    for (const w of whole) {
      expect(w.payload.length).toBe(3500);
      // The ICMP checksum covers the whole reassembled datagram: it only verifies if reassembly is exact.
      expect(decodePacket(w.raw, { checksums: 'all' }).icmp?.checksumOk).toBe(true);
      expect(w.rebuilt).toBe(true);
      expect(w.isFragment).toBe(false);
      expect(w.events.filter((e) => e.gid === 116)).toEqual([]);
    }
  });
});
