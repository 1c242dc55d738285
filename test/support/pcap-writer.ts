import { writeFileSync } from 'node:fs';

/**
 * Test helpers that build real packets (correct lengths and checksums) and write them as pcap or pcapng,
 * so every IDS test constructs its own traffic instead of shipping binary fixtures.
 *
 * @example
 * const frame = buildTcp({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1234, dport: 80, flags: 'PA', payload: 'GET / HTTP/1.0\r\n\r\n' });
 * writePcap(path, [frame]);
 */

export type Bytes = Uint8Array;
export type PayloadLike = Uint8Array | string | readonly number[];

/** libpcap link types used by the tests. */
export const LINK = { NULL: 0, ETHERNET: 1, RAW: 101, LOOP: 108, LINUX_SLL: 113, IPV4: 228, IPV6: 229, LINUX_SLL2: 276 } as const;

/** Turns a string (latin1, one byte per char), byte list or bytes into bytes. */
export function toBytes(p: PayloadLike | undefined): Bytes {
  if (p === undefined) return new Uint8Array(0);
  if (typeof p === 'string') return Uint8Array.from(Buffer.from(p, 'latin1'));
  return Uint8Array.from(p);
}

/** Joins byte arrays. */
export function concat(...parts: Bytes[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Parses an IPv4 dotted quad. */
export function ipv4Bytes(a: string): Bytes {
  const parts = a.split('.').map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) throw new Error(`bad IPv4 address ${a}`);
  return Uint8Array.from(parts);
}

/** Parses an IPv6 address (with :: compression; no embedded IPv4). */
export function ipv6Bytes(a: string): Bytes {
  const out = new Uint8Array(16);
  const [head, tail] = a.includes('::') ? a.split('::') : [a, undefined];
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8) throw new Error(`bad IPv6 address ${a}`);
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 0xff;
  });
  return out;
}

function macBytes(m: string): Bytes {
  return Uint8Array.from(m.split(':').map((x) => parseInt(x, 16)));
}

/** The Internet checksum (RFC 1071) over the given parts, as the 16-bit value to store. */
export function internetChecksum(...parts: Bytes[]): number {
  let sum = 0;
  let odd = -1;
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) {
      if (odd < 0) odd = p[i];
      else {
        sum += (odd << 8) | p[i];
        odd = -1;
      }
    }
  }
  if (odd >= 0) sum += odd << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function put16(b: Bytes, at: number, v: number): void {
  b[at] = (v >>> 8) & 0xff;
  b[at + 1] = v & 0xff;
}

function put32(b: Bytes, at: number, v: number): void {
  b[at] = (v >>> 24) & 0xff;
  b[at + 1] = (v >>> 16) & 0xff;
  b[at + 2] = (v >>> 8) & 0xff;
  b[at + 3] = v & 0xff;
}

// ---------------------------------------------------------------- link layers

export interface EthernetSpec {
  readonly srcMac?: string;
  readonly dstMac?: string;
  /** 802.1Q tags, outermost first (QinQ when more than one). The outer one uses 0x88a8 when `qinq` is set. */
  readonly vlan?: readonly number[];
  readonly qinq?: boolean;
  /** MPLS labels, outermost first (ethertype 0x8847); the last one gets the bottom-of-stack bit. */
  readonly mpls?: readonly number[];
  /** Wrap in a PPPoE session header with this session id (ethertype 0x8864). */
  readonly pppoe?: number;
}

/** Builds an Ethernet frame carrying an IP packet (IPv4 or IPv6 from its version nibble), optionally tagged. */
export function buildEthernet(ipPacket: Bytes, spec: EthernetSpec = {}): Bytes {
  const isV6 = ipPacket.length > 0 && ipPacket[0] >> 4 === 6;
  let type = isV6 ? 0x86dd : 0x0800;
  let inner = ipPacket;
  if (spec.pppoe !== undefined) {
    const h = new Uint8Array(8);
    h[0] = 0x11;
    h[1] = 0x00;
    put16(h, 2, spec.pppoe);
    put16(h, 4, inner.length + 2);
    put16(h, 6, isV6 ? 0x0057 : 0x0021);
    inner = concat(h, inner);
    type = 0x8864;
  }
  if (spec.mpls !== undefined && spec.mpls.length > 0) {
    const labels = spec.mpls;
    const h = new Uint8Array(4 * labels.length);
    labels.forEach((label, i) => {
      const bos = i === labels.length - 1 ? 1 : 0;
      put32(h, i * 4, ((label << 12) | (bos << 8) | 64) >>> 0);
    });
    inner = concat(h, inner);
    type = 0x8847;
  }
  const tags = spec.vlan ?? [];
  for (let i = tags.length - 1; i >= 0; i--) {
    const h = new Uint8Array(4);
    put16(h, 0, tags[i] & 0x0fff);
    put16(h, 2, type);
    inner = concat(h, inner);
    type = i === 0 && spec.qinq === true && tags.length > 1 ? 0x88a8 : 0x8100;
  }
  const eth = new Uint8Array(14);
  eth.set(macBytes(spec.dstMac ?? '00:00:00:00:00:02'), 0);
  eth.set(macBytes(spec.srcMac ?? '00:00:00:00:00:01'), 6);
  put16(eth, 12, type);
  return concat(eth, inner);
}

/** Builds a Linux cooked (SLL, link type 113) or SLL2 (276) header in front of an IP packet. */
export function buildLinuxCooked(ipPacket: Bytes, version: 1 | 2 = 1): Bytes {
  const proto = ipPacket[0] >> 4 === 6 ? 0x86dd : 0x0800;
  if (version === 1) {
    const h = new Uint8Array(16);
    put16(h, 0, 0); // to us
    put16(h, 2, 1); // ARPHRD_ETHER
    put16(h, 4, 6);
    h.set([0, 1, 2, 3, 4, 5], 6);
    put16(h, 14, proto);
    return concat(h, ipPacket);
  }
  const h = new Uint8Array(20);
  put16(h, 0, proto);
  put32(h, 4, 2); // interface index
  put16(h, 8, 1);
  h[10] = 0;
  h[11] = 6;
  h.set([0, 1, 2, 3, 4, 5], 12);
  return concat(h, ipPacket);
}

/** Builds a BSD loopback (NULL, host byte order) or OpenBSD LOOP (network order) header. */
export function buildLoopback(ipPacket: Bytes, kind: 'null-le' | 'null-be' | 'loop' = 'null-le'): Bytes {
  const family = ipPacket[0] >> 4 === 6 ? 24 : 2; // AF_INET6 on NetBSD/OpenBSD is 24; decoders accept 24, 28, 30
  const h = new Uint8Array(4);
  if (kind === 'null-le') {
    h[0] = family;
  } else put32(h, 0, family);
  return concat(h, ipPacket);
}

/** Wraps an IP packet in GRE (version 0, optional key) inside an outer IPv4 packet. */
export function buildGre(innerIp: Bytes, outer: { src: string; dst: string; key?: number }): Bytes {
  const hasKey = outer.key !== undefined;
  const g = new Uint8Array(hasKey ? 8 : 4);
  put16(g, 0, hasKey ? 0x2000 : 0);
  put16(g, 2, innerIp[0] >> 4 === 6 ? 0x86dd : 0x0800);
  if (hasKey) put32(g, 4, outer.key ?? 0);
  return buildIpv4({ src: outer.src, dst: outer.dst, proto: 47 }, concat(g, innerIp));
}

// ---------------------------------------------------------------- IP

export interface Ipv4Spec {
  readonly src: string;
  readonly dst: string;
  readonly proto: number;
  readonly ttl?: number;
  readonly tos?: number;
  readonly id?: number;
  /** Flag bits: 0x4 reserved, 0x2 DF, 0x1 MF. */
  readonly flags?: number;
  /** Fragment offset in bytes (a multiple of 8). */
  readonly fragOffset?: number;
  /** Raw option bytes (padded to 4 with EOL). */
  readonly options?: PayloadLike;
  /** Override the total length field. */
  readonly totalLen?: number;
  /** Store a wrong header checksum. */
  readonly badChecksum?: boolean;
}

/** Builds an IPv4 packet with a correct header checksum. */
export function buildIpv4(spec: Ipv4Spec, payload: Bytes): Bytes {
  let opts = toBytes(spec.options);
  if (opts.length % 4 !== 0) opts = concat(opts, new Uint8Array(4 - (opts.length % 4)));
  const hl = 20 + opts.length;
  const h = new Uint8Array(hl);
  h[0] = 0x40 | (hl / 4);
  h[1] = spec.tos ?? 0;
  put16(h, 2, spec.totalLen ?? hl + payload.length);
  put16(h, 4, spec.id ?? 1);
  put16(h, 6, ((spec.flags ?? 0) << 13) | ((spec.fragOffset ?? 0) >> 3));
  h[8] = spec.ttl ?? 64;
  h[9] = spec.proto;
  h.set(ipv4Bytes(spec.src), 12);
  h.set(ipv4Bytes(spec.dst), 16);
  h.set(opts, 20);
  const ck = internetChecksum(h);
  put16(h, 10, spec.badChecksum === true ? ck ^ 0x5555 : ck);
  return concat(h, payload);
}

export interface Ipv6Ext {
  /** 0 hop-by-hop, 43 routing, 60 destination options, 44 fragment. */
  readonly type: 0 | 43 | 60 | 44;
  /** Fragment header fields (type 44). */
  readonly fragOffset?: number;
  readonly more?: boolean;
  readonly id?: number;
}

export interface Ipv6Spec {
  readonly src: string;
  readonly dst: string;
  /** Upper-layer protocol after the extension headers. */
  readonly proto: number;
  readonly hopLimit?: number;
  readonly ext?: readonly Ipv6Ext[];
  readonly payloadLen?: number;
}

/** Builds an IPv6 packet with optional extension headers (8 bytes each, options padded with PadN). */
export function buildIpv6(spec: Ipv6Spec, payload: Bytes): Bytes {
  const exts = spec.ext ?? [];
  const extBytes: Bytes[] = [];
  exts.forEach((e, i) => {
    const next = i + 1 < exts.length ? exts[i + 1].type : spec.proto;
    const b = new Uint8Array(8);
    b[0] = next;
    if (e.type === 44) {
      put16(b, 2, ((e.fragOffset ?? 0) & ~7) | (e.more === true ? 1 : 0));
      put32(b, 4, e.id ?? 1);
    } else if (e.type === 43) {
      b[1] = 0;
      b[2] = 4; // segment routing type, segments left 0
    } else {
      b[1] = 0;
      b[2] = 1; // PadN
      b[3] = 4;
    }
    extBytes.push(b);
  });
  const body = concat(...extBytes, payload);
  const h = new Uint8Array(40);
  h[0] = 0x60;
  put16(h, 4, spec.payloadLen ?? body.length);
  h[6] = exts.length > 0 ? exts[0].type : spec.proto;
  h[7] = spec.hopLimit ?? 64;
  h.set(ipv6Bytes(spec.src), 8);
  h.set(ipv6Bytes(spec.dst), 24);
  return concat(h, body);
}

function isV6(a: string): boolean {
  return a.includes(':');
}

function pseudoHeader(src: string, dst: string, proto: number, len: number): Bytes {
  if (isV6(src)) {
    const p = new Uint8Array(40);
    p.set(ipv6Bytes(src), 0);
    p.set(ipv6Bytes(dst), 16);
    put32(p, 32, len);
    p[39] = proto;
    return p;
  }
  const p = new Uint8Array(12);
  p.set(ipv4Bytes(src), 0);
  p.set(ipv4Bytes(dst), 4);
  p[9] = proto;
  put16(p, 10, len);
  return p;
}

// ---------------------------------------------------------------- transports

/** TCP flags as letters, Snort style: F S R P A U E C. */
export function tcpFlagBits(flags: string): number {
  const map: Record<string, number> = { F: 1, S: 2, R: 4, P: 8, A: 16, U: 32, E: 64, C: 128 };
  let v = 0;
  for (const c of flags) v |= map[c] ?? 0;
  return v;
}

export interface TcpSpec {
  readonly src: string;
  readonly dst: string;
  readonly sport: number;
  readonly dport: number;
  /** Letters F S R P A U E C, or the flag byte. Default 'A'. */
  readonly flags?: string | number;
  readonly seq?: number;
  readonly ack?: number;
  readonly window?: number;
  readonly urgent?: number;
  /** Raw option bytes (padded to 4 with NOP). */
  readonly options?: PayloadLike;
  readonly payload?: PayloadLike;
  readonly badChecksum?: boolean;
  /** Override the data offset nibble (in 32-bit words). */
  readonly dataOffset?: number;
}

/** Builds a TCP segment (header + payload) with a correct checksum for the given addresses. */
export function buildTcpSegment(spec: TcpSpec): Bytes {
  let opts = toBytes(spec.options);
  if (opts.length % 4 !== 0) opts = concat(opts, new Uint8Array(4 - (opts.length % 4)).fill(1));
  const payload = toBytes(spec.payload);
  const hl = 20 + opts.length;
  const h = new Uint8Array(hl);
  put16(h, 0, spec.sport);
  put16(h, 2, spec.dport);
  put32(h, 4, spec.seq ?? 1);
  put32(h, 8, spec.ack ?? 0);
  h[12] = (spec.dataOffset ?? hl / 4) << 4;
  h[13] = typeof spec.flags === 'number' ? spec.flags : tcpFlagBits(spec.flags ?? 'A');
  put16(h, 14, spec.window ?? 65535);
  put16(h, 18, spec.urgent ?? 0);
  h.set(opts, 20);
  const seg = concat(h, payload);
  const ck = internetChecksum(pseudoHeader(spec.src, spec.dst, 6, seg.length), seg);
  put16(seg, 16, spec.badChecksum === true ? ck ^ 0x1234 : ck);
  return seg;
}

export interface UdpSpec {
  readonly src: string;
  readonly dst: string;
  readonly sport: number;
  readonly dport: number;
  readonly payload?: PayloadLike;
  readonly badChecksum?: boolean;
  /** Override the length field. */
  readonly length?: number;
}

/** Builds a UDP datagram with a correct checksum. */
export function buildUdpDatagram(spec: UdpSpec): Bytes {
  const payload = toBytes(spec.payload);
  const u = new Uint8Array(8 + payload.length);
  put16(u, 0, spec.sport);
  put16(u, 2, spec.dport);
  put16(u, 4, spec.length ?? u.length);
  u.set(payload, 8);
  let ck = internetChecksum(pseudoHeader(spec.src, spec.dst, 17, u.length), u);
  if (ck === 0) ck = 0xffff;
  put16(u, 6, spec.badChecksum === true ? ck ^ 0x1234 : ck);
  return u;
}

export interface IcmpSpec {
  readonly type: number;
  readonly code?: number;
  /** Echo id and sequence (bytes 4..7). */
  readonly id?: number;
  readonly seq?: number;
  readonly payload?: PayloadLike;
  readonly badChecksum?: boolean;
}

/** Builds an ICMP (v4) message with a correct checksum. */
export function buildIcmpMessage(spec: IcmpSpec): Bytes {
  const payload = toBytes(spec.payload);
  const m = new Uint8Array(8 + payload.length);
  m[0] = spec.type;
  m[1] = spec.code ?? 0;
  put16(m, 4, spec.id ?? 0);
  put16(m, 6, spec.seq ?? 0);
  m.set(payload, 8);
  const ck = internetChecksum(m);
  put16(m, 2, spec.badChecksum === true ? ck ^ 0x1234 : ck);
  return m;
}

/** Builds an ICMPv6 message with a correct checksum (pseudo header included). */
export function buildIcmpv6Message(src: string, dst: string, spec: IcmpSpec): Bytes {
  const payload = toBytes(spec.payload);
  const m = new Uint8Array(8 + payload.length);
  m[0] = spec.type;
  m[1] = spec.code ?? 0;
  put16(m, 4, spec.id ?? 0);
  put16(m, 6, spec.seq ?? 0);
  m.set(payload, 8);
  const ck = internetChecksum(pseudoHeader(src, dst, 58, m.length), m);
  put16(m, 2, spec.badChecksum === true ? ck ^ 0x1234 : ck);
  return m;
}

// ---------------------------------------------------------------- whole frames

export interface FrameSpec extends EthernetSpec {
  readonly ttl?: number;
  readonly ipId?: number;
  readonly ipFlags?: number;
  readonly tos?: number;
  readonly ipOptions?: PayloadLike;
  /** IPv6 extension headers (IPv6 addresses only). */
  readonly ext?: readonly Ipv6Ext[];
  /** Return the IP packet without the Ethernet header. */
  readonly rawIp?: boolean;
}

function wrapIp(src: string, dst: string, proto: number, l4: Bytes, spec: FrameSpec): Bytes {
  const ip = isV6(src)
    ? buildIpv6({ src, dst, proto, hopLimit: spec.ttl, ext: spec.ext }, l4)
    : buildIpv4({ src, dst, proto, ttl: spec.ttl, id: spec.ipId, flags: spec.ipFlags, tos: spec.tos, options: spec.ipOptions }, l4);
  return spec.rawIp === true ? ip : buildEthernet(ip, spec);
}

/**
 * Builds a complete Ethernet frame with a TCP segment (IPv6 when the addresses contain ':').
 *
 * @example
 * buildTcp({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1234, dport: 80, flags: 'S', seq: 100 })
 */
export function buildTcp(spec: TcpSpec & FrameSpec): Bytes {
  return wrapIp(spec.src, spec.dst, 6, buildTcpSegment(spec), spec);
}

/** Builds a complete Ethernet frame with a UDP datagram. */
export function buildUdp(spec: UdpSpec & FrameSpec): Bytes {
  return wrapIp(spec.src, spec.dst, 17, buildUdpDatagram(spec), spec);
}

/** Builds a complete Ethernet frame with an ICMP (IPv4) or ICMPv6 (IPv6 addresses) message. */
export function buildIcmp(spec: IcmpSpec & FrameSpec & { src: string; dst: string }): Bytes {
  if (isV6(spec.src)) return wrapIp(spec.src, spec.dst, 58, buildIcmpv6Message(spec.src, spec.dst, spec), spec);
  return wrapIp(spec.src, spec.dst, 1, buildIcmpMessage(spec), spec);
}

/** One data step of a TCP session: client ('c') or server ('s') data, or 'c-retx' (resend the last client segment). */
export type TcpSessionStep = readonly ['c' | 's' | 'c-retx', PayloadLike];

/** Endpoints and initial sequence numbers of a TCP session built by `buildTcpSession`. */
export interface TcpSessionSpec {
  readonly client: string;
  readonly server: string;
  readonly sport: number;
  readonly dport: number;
  /** Initial sequence numbers (the SYN's and the SYN-ACK's). */
  readonly isn: { readonly client: number; readonly server: number };
  /** Close with FIN / FIN / ACK after the steps (default true). */
  readonly fin?: boolean;
}

/**
 * Frames of a TCP session: handshake, each data step acknowledged by the peer (so each becomes a PDU of
 * its own), then FINs unless `fin` is false.
 *
 * @example
 * buildTcpSession({ client: '10.0.0.1', server: '10.0.0.2', sport: 40000, dport: 80, isn: { client: 1000, server: 5000 } }, [['c', 'GET / HTTP/1.1\r\n\r\n']])
 */
export function buildTcpSession(spec: TcpSessionSpec, steps: readonly TcpSessionStep[]): Bytes[] {
  const C = { src: spec.client, dst: spec.server, sport: spec.sport, dport: spec.dport };
  const S = { src: spec.server, dst: spec.client, sport: spec.dport, dport: spec.sport };
  let cs = spec.isn.client + 1;
  let ss = spec.isn.server + 1;
  let last: { seq: number; payload: Bytes } | undefined;
  const frames = [buildTcp({ ...C, flags: 'S', seq: cs - 1 }), buildTcp({ ...S, flags: 'SA', seq: ss - 1, ack: cs }), buildTcp({ ...C, flags: 'A', seq: cs, ack: ss })];
  for (const [who, data] of steps) {
    const payload = toBytes(data);
    if (who === 'c-retx') {
      if (last === undefined) throw new Error('buildTcpSession: c-retx before any client data');
      frames.push(buildTcp({ ...C, flags: 'PA', seq: last.seq, ack: ss, payload: last.payload }));
    } else if (who === 'c') {
      frames.push(buildTcp({ ...C, flags: 'PA', seq: cs, ack: ss, payload }));
      last = { seq: cs, payload };
      cs += payload.length;
      frames.push(buildTcp({ ...S, flags: 'A', seq: ss, ack: cs }));
    } else {
      frames.push(buildTcp({ ...S, flags: 'PA', seq: ss, ack: cs, payload }));
      ss += payload.length;
      frames.push(buildTcp({ ...C, flags: 'A', seq: cs, ack: ss }));
    }
  }
  if (spec.fin !== false) frames.push(buildTcp({ ...C, flags: 'FA', seq: cs, ack: ss }), buildTcp({ ...S, flags: 'FA', seq: ss, ack: cs + 1 }), buildTcp({ ...C, flags: 'A', seq: cs + 1, ack: ss + 1 }));
  return frames;
}

/**
 * Splits an IPv4 packet into fragments carrying at most `chunk` payload bytes each (a multiple of 8
 * except for the last). Returns the fragments as IP packets.
 */
export function fragmentIpv4(ipPacket: Bytes, chunk: number): Bytes[] {
  const hl = (ipPacket[0] & 0x0f) * 4;
  const header = ipPacket.subarray(0, hl);
  const payload = ipPacket.subarray(hl);
  const out: Bytes[] = [];
  for (let off = 0; off < payload.length; off += chunk) {
    const part = payload.subarray(off, Math.min(off + chunk, payload.length));
    const h = Uint8Array.from(header);
    const more = off + chunk < payload.length ? 1 : 0;
    put16(h, 2, hl + part.length);
    put16(h, 6, (more << 13) | (off >> 3));
    h[10] = 0;
    h[11] = 0;
    put16(h, 10, internetChecksum(h));
    out.push(concat(h, part));
  }
  return out;
}

/**
 * Builds one IPv4 fragment with an explicit offset and payload (for overlap tests).
 */
export function buildIpv4Fragment(spec: Omit<Ipv4Spec, 'fragOffset' | 'flags'> & { offset: number; more: boolean }, part: Bytes): Bytes {
  return buildIpv4({ ...spec, fragOffset: spec.offset, flags: spec.more ? 1 : 0 }, part);
}

/**
 * Splits the upper-layer data of an IPv6 packet (built without extension headers) into fragments
 * with a fragment header each.
 */
export function fragmentIpv6(spec: { src: string; dst: string; proto: number; id?: number }, upper: Bytes, chunk: number): Bytes[] {
  const out: Bytes[] = [];
  for (let off = 0; off < upper.length; off += chunk) {
    const part = upper.subarray(off, Math.min(off + chunk, upper.length));
    const more = off + chunk < upper.length;
    out.push(buildIpv6({ src: spec.src, dst: spec.dst, proto: spec.proto, ext: [{ type: 44, fragOffset: off, more, id: spec.id ?? 7 }] }, part));
  }
  return out;
}

// ---------------------------------------------------------------- capture files

/** One packet to write: the frame bytes, or the bytes plus a timestamp / original length / link type. */
export type PacketToWrite =
  | Bytes
  | { readonly data: Bytes; readonly tsSec?: number; readonly tsUsec?: number; readonly tsNsec?: number; readonly wireLen?: number; readonly linkType?: number };

export interface PcapWriteOptions {
  readonly linkType?: number;
  /** Nanosecond magic (0xa1b23c4d). */
  readonly nanos?: boolean;
  readonly bigEndian?: boolean;
  readonly snapLen?: number;
}

function norm(p: PacketToWrite, i: number): { data: Bytes; tsSec: number; tsNsec: number; wireLen: number; linkType: number | undefined } {
  if (p instanceof Uint8Array) return { data: p, tsSec: 1_700_000_000 + i, tsNsec: 1000 * i, wireLen: p.length, linkType: undefined };
  const tsNsec = p.tsNsec ?? (p.tsUsec ?? 0) * 1000;
  return { data: p.data, tsSec: p.tsSec ?? 1_700_000_000 + i, tsNsec, wireLen: p.wireLen ?? p.data.length, linkType: p.linkType };
}

/** Encodes packets as a classic pcap file. */
export function encodePcap(packets: readonly PacketToWrite[], options: PcapWriteOptions = {}): Bytes {
  const le = options.bigEndian !== true;
  const parts: Bytes[] = [];
  const hdr = Buffer.alloc(24);
  const w32 = (b: Buffer, at: number, v: number): void => {
    if (le) b.writeUInt32LE(v >>> 0, at);
    else b.writeUInt32BE(v >>> 0, at);
  };
  const w16 = (b: Buffer, at: number, v: number): void => {
    if (le) b.writeUInt16LE(v, at);
    else b.writeUInt16BE(v, at);
  };
  w32(hdr, 0, options.nanos === true ? 0xa1b23c4d : 0xa1b2c3d4);
  w16(hdr, 4, 2);
  w16(hdr, 6, 4);
  w32(hdr, 16, options.snapLen ?? 262144);
  w32(hdr, 20, options.linkType ?? LINK.ETHERNET);
  parts.push(hdr);
  packets.forEach((p, i) => {
    const n = norm(p, i);
    const rec = Buffer.alloc(16);
    w32(rec, 0, n.tsSec);
    w32(rec, 4, options.nanos === true ? n.tsNsec : Math.floor(n.tsNsec / 1000));
    w32(rec, 8, n.data.length);
    w32(rec, 12, n.wireLen);
    parts.push(rec, n.data);
  });
  return concat(...parts);
}

export interface PcapngWriteOptions {
  readonly bigEndian?: boolean;
  /** Interfaces (link type, if_tsresol byte); packets choose one with `linkType` matching, default the first. */
  readonly interfaces?: readonly { linkType: number; tsresol?: number }[];
  /** Also write a simple packet block for the packet at these indexes (no timestamp). */
  readonly simple?: readonly number[];
}

/** Encodes packets as pcapng: one SHB, the interfaces' IDBs, then an EPB (or SPB) per packet. */
export function encodePcapng(packets: readonly PacketToWrite[], options: PcapngWriteOptions = {}): Bytes {
  const le = options.bigEndian !== true;
  const ifaces = options.interfaces ?? [{ linkType: LINK.ETHERNET }];
  const parts: Bytes[] = [];
  const block = (type: number, body: Bytes): void => {
    const padded = (body.length + 3) & ~3;
    const len = 12 + padded;
    const b = Buffer.alloc(len);
    const w32 = (at: number, v: number): void => {
      if (le) b.writeUInt32LE(v >>> 0, at);
      else b.writeUInt32BE(v >>> 0, at);
    };
    w32(0, type);
    w32(4, len);
    b.set(body, 8);
    w32(len - 4, len);
    parts.push(b);
  };
  const buf = (n: number): Buffer => Buffer.alloc(n);
  const u32 = (b: Buffer, at: number, v: number): void => {
    if (le) b.writeUInt32LE(v >>> 0, at);
    else b.writeUInt32BE(v >>> 0, at);
  };
  const u16 = (b: Buffer, at: number, v: number): void => {
    if (le) b.writeUInt16LE(v, at);
    else b.writeUInt16BE(v, at);
  };
  const shb = buf(16);
  u32(shb, 0, 0x1a2b3c4d);
  u16(shb, 4, 1);
  u16(shb, 6, 0);
  shb.writeInt32LE(-1, 8);
  shb.writeInt32LE(-1, 12);
  block(0x0a0d0d0a, shb);
  for (const ifc of ifaces) {
    const hasRes = ifc.tsresol !== undefined;
    const b = buf(8 + (hasRes ? 12 : 0));
    u16(b, 0, ifc.linkType);
    u32(b, 4, 0);
    if (hasRes) {
      u16(b, 8, 9);
      u16(b, 10, 1);
      b[12] = ifc.tsresol ?? 6;
      u16(b, 16, 0);
      u16(b, 18, 0);
    }
    block(1, b);
  }
  packets.forEach((p, i) => {
    const n = norm(p, i);
    if (options.simple?.includes(i) === true) {
      const b = buf(4 + n.data.length);
      u32(b, 0, n.wireLen);
      b.set(n.data, 4);
      block(3, b);
      return;
    }
    let ifId = 0;
    if (n.linkType !== undefined) ifId = Math.max(0, ifaces.findIndex((f) => f.linkType === n.linkType));
    const res = ifaces[ifId].tsresol ?? 6;
    const units = BigInt(res & 0x80 ? 2 ** (res & 0x7f) : 10 ** res);
    const ts = BigInt(n.tsSec) * units + (BigInt(n.tsNsec) * units) / 1_000_000_000n;
    const b = buf(20 + n.data.length);
    u32(b, 0, ifId);
    u32(b, 4, Number(ts >> 32n));
    u32(b, 8, Number(ts & 0xffffffffn));
    u32(b, 12, n.data.length);
    u32(b, 16, n.wireLen);
    b.set(n.data, 20);
    block(6, b);
  });
  return concat(...parts);
}

/**
 * Writes packets to a pcap file.
 *
 * @example
 * writePcap(join(dir, 'x.pcap'), [buildUdp({ src: '10.0.0.1', dst: '10.0.0.2', sport: 53, dport: 5353 })], { nanos: true });
 */
export function writePcap(path: string, packets: readonly PacketToWrite[], options: PcapWriteOptions = {}): void {
  writeFileSync(path, encodePcap(packets, options));
}

/** Writes packets to a pcapng file. */
export function writePcapng(path: string, packets: readonly PacketToWrite[], options: PcapngWriteOptions = {}): void {
  writeFileSync(path, encodePcapng(packets, options));
}
