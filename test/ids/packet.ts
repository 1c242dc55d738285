/**
 * Builds decoded `Packet` objects directly, for detect/log unit tests that do not need the pcap
 * reader or the decoder (end-to-end tests go through real pcap files instead).
 */
import type { Packet } from '../../src/engines/ids/types.js';

export interface PacketSpec {
  src?: string;
  dst?: string;
  proto?: 'tcp' | 'udp' | 'icmp' | 'ip';
  srcPort?: number;
  dstPort?: number;
  payload?: string | Uint8Array;
  tsSec?: number;
  tsUsec?: number;
  num?: number;
  flags?: number;
  ttl?: number;
  icmpType?: number;
}

function ipv4(text: string): number {
  return text.split('.').reduce((a, p) => a * 256 + Number(p), 0);
}

function ipv6(text: string): Uint8Array {
  const halves = text.split('::');
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length > 1 && halves[1] ? halves[1].split(':') : [];
  const groups = halves.length > 1 ? [...head, ...Array(8 - head.length - tail.length).fill('0'), ...tail] : head;
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 0xff;
  });
  return out;
}

/** A decoded packet with the given addresses, ports and payload (IPv6 when an address has ':'). */
export function makePacket(spec: PacketSpec = {}): Packet {
  const payload = typeof spec.payload === 'string' ? new TextEncoder().encode(spec.payload) : (spec.payload ?? new Uint8Array(0));
  const proto = spec.proto ?? 'tcp';
  const src = spec.src ?? '10.0.0.1';
  const dst = spec.dst ?? '192.168.1.2';
  const v6 = src.includes(':');
  const protoNum = proto === 'tcp' ? 6 : proto === 'udp' ? 17 : proto === 'icmp' ? (v6 ? 58 : 1) : 47;
  const l4 = proto === 'tcp' ? 20 : proto === 'udp' || proto === 'icmp' ? 8 : 0;
  const ip = v6
    ? { version: 6 as const, src: ipv6(src), dst: ipv6(dst), trafficClass: 0, flowLabel: 0, hopLimit: spec.ttl ?? 64, proto: protoNum, extHeaders: [], fragId: undefined, fragOffset: 0, moreFragments: false }
    : { version: 4 as const, src: ipv4(src), dst: ipv4(dst), headerLen: 20, totalLen: 20 + l4 + payload.length, tos: 0, id: 1, flags: 0x2, fragOffset: 0, ttl: spec.ttl ?? 64, proto: protoNum, options: [], checksumOk: true };
  const srcPort = proto === 'tcp' || proto === 'udp' ? (spec.srcPort ?? 40000) : 0;
  const dstPort = proto === 'tcp' || proto === 'udp' ? (spec.dstPort ?? 80) : 0;
  return {
    raw: { num: spec.num ?? 1, tsSec: spec.tsSec ?? 1_700_000_000, tsUsec: spec.tsUsec ?? 123456, linkType: 1, data: new Uint8Array(14 + 20 + l4 + payload.length), wireLen: 14 + 20 + l4 + payload.length },
    layers: ['eth'],
    ip,
    tcp: proto === 'tcp' ? { srcPort, dstPort, seq: 1, ack: 0, headerLen: 20, flags: spec.flags ?? 0x18, window: 65535, urgent: 0, options: [], checksumOk: true } : undefined,
    udp: proto === 'udp' ? { srcPort, dstPort, length: 8 + payload.length, checksumOk: true } : undefined,
    icmp: proto === 'icmp' ? { version: v6 ? 6 : 4, type: spec.icmpType ?? 8, code: 0, id: 1, seq: 1, checksumOk: true } : undefined,
    proto: protoNum,
    srcPort,
    dstPort,
    payload,
    rebuilt: false,
    isFragment: false,
    events: [],
    flow: undefined,
    direction: 'unknown',
  };
}
