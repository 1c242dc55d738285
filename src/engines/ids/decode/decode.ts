import { PacketRecord, type DecoderEvent, type IcmpInfo, type Ipv4Info, type Ipv6Info, type Packet, type RawPacket, type TcpInfo, type UdpInfo } from '../types.js';
import { DECODE } from './events.js';

// Local copies of the LINKTYPE / IPPROTO / TCP_FLAG values from types.ts: on the hot path a plain
// const is inlined by V8, a property of an imported object is a load per use (measured with --cpu-prof).
const LT_NULL = 0;
const LT_ETHERNET = 1;
const LT_RAW = 101;
const LT_LOOP = 108;
const LT_LINUX_SLL = 113;
const LT_IPV4 = 228;
const LT_IPV6 = 229;
const LT_LINUX_SLL2 = 276;
const P_ICMP = 1;
const P_TCP = 6;
const P_UDP = 17;
const P_GRE = 47;
const P_ICMPV6 = 58;
const F_FIN = 0x01;
const F_SYN = 0x02;
const F_RST = 0x04;
const F_PSH = 0x08;
const F_ACK = 0x10;
const F_URG = 0x20;
// Chosen between on every packet (see eventIf, ipv4HeaderProblem): module constants need no type feedback.
const TCP_XMAS = DECODE.TCP_XMAS;
const TCP_NMAP_XMAS = DECODE.TCP_NMAP_XMAS;
const IP4_HDR_TRUNC = DECODE.IP4_HDR_TRUNC;
const NOT_IPV4_DGRAM = DECODE.NOT_IPV4_DGRAM;
const TOO_MANY_LAYERS = DECODE.TOO_MANY_LAYERS;
const IPV4_INVALID_HEADER_LEN = DECODE.IPV4_INVALID_HEADER_LEN;
const IPV4_DGRAM_GT_CAPLEN = DECODE.IPV4_DGRAM_GT_CAPLEN;
const IPV4_DGRAM_LT_IPHDR = DECODE.IPV4_DGRAM_LT_IPHDR;
const TCP_DGRAM_LT_TCPHDR = DECODE.TCP_DGRAM_LT_TCPHDR;
const TCP_INVALID_OFFSET = DECODE.TCP_INVALID_OFFSET;
const TCP_LARGE_OFFSET = DECODE.TCP_LARGE_OFFSET;
const UDP_DGRAM_LT_UDPHDR = DECODE.UDP_DGRAM_LT_UDPHDR;
const UDP_DGRAM_INVALID_LENGTH = DECODE.UDP_DGRAM_INVALID_LENGTH;
const UDP_DGRAM_SHORT_PACKET = DECODE.UDP_DGRAM_SHORT_PACKET;

/**
 * The packet decoder: link layer -> tunnels -> IP -> transport, by direct byte math on the captured
 * bytes (no DataView, no closures, no strings on the hot path). Malformed input never throws: it raises
 * a Snort gid 116 event on the packet and decoding stops at the layer that is broken, as Snort's codecs
 * do (a codec that returns false ends the decode; the layers before it stay usable).
 */

/** Which checksums to verify (Snort's -k). */
export type ChecksumMode = 'all' | 'none';

/** Counters kept by the decoder, like Snort's codec pegs (shown in the final statistics). */
export interface DecodeStats {
  packets: number;
  bytes: number;
  eth: number;
  vlan: number;
  mpls: number;
  pppoe: number;
  gre: number;
  arp: number;
  ipv4: number;
  ipv6: number;
  tcp: number;
  udp: number;
  icmp: number;
  icmp6: number;
  /** IPv4 and IPv6 fragments seen (before reassembly). */
  fragments: number;
  /** Packets whose link type or ethertype the decoder does not handle. */
  other: number;
  /** Packets with a bad IP / TCP / UDP / ICMP checksum (when -k all). */
  badChecksumIp: number;
  badChecksumTcp: number;
  badChecksumUdp: number;
  badChecksumIcmp: number;
  /** Decoder events raised, all sids together. */
  events: number;
}

/** Fresh zeroed decoder counters. */
export function createDecodeStats(): DecodeStats {
  return {
    packets: 0,
    bytes: 0,
    eth: 0,
    vlan: 0,
    mpls: 0,
    pppoe: 0,
    gre: 0,
    arp: 0,
    ipv4: 0,
    ipv6: 0,
    tcp: 0,
    udp: 0,
    icmp: 0,
    icmp6: 0,
    fragments: 0,
    other: 0,
    badChecksumIp: 0,
    badChecksumTcp: 0,
    badChecksumUdp: 0,
    badChecksumIcmp: 0,
    events: 0,
  };
}

export interface DecodeOptions {
  /** Verify checksums (-k all) or not (-k none, the default, like Snort on captured files). */
  readonly checksums?: ChecksumMode;
  /** Counters to update (optional). */
  readonly stats?: DecodeStats;
}

/** Encapsulation layers (VLAN, MPLS, GRE, IP-in-IP...) after which the decoder gives up (116:472). */
const MAX_LAYERS = 24;
/** IPv6 extension headers after which the decoder raises 116:456 and stops (Snort's default max_ip6_extensions is 8). */
const MAX_IP6_EXT = 8;

/**
 * A list reused from packet to packet. `clear` keeps the backing store: setting an array's length to 0
 * gives it up, and the decoder's scratch arrays then allocated a new one (about 150 bytes) on the first
 * push of every packet, a sixth of what decoding allocated.
 */
class ScratchList<T> {
  readonly items: T[] = [];
  /** Items in use (items[length...] are left over from earlier packets). */
  length = 0;

  push(item: T): void {
    this.items[this.length++] = item;
  }

  clear(): void {
    this.length = 0;
  }
}

/**
 * Mutable scratch state of one decode, reused from packet to packet (decoding never calls itself, and
 * what escapes into the Packet is fresh or interned); V8 keeps it in a single hidden class so field
 * access stays fast.
 */
class State {
  /** Layer names of this packet (scratch: the Packet gets the interned copy). */
  readonly layers = new ScratchList<string>();
  /** TCP option kinds being read (scratch, interned before use). */
  readonly kinds = new ScratchList<number>();
  events: DecoderEvent[] = [];
  ip: Ipv4Info | Ipv6Info | undefined = undefined;
  tcp: TcpInfo | undefined = undefined;
  udp: UdpInfo | undefined = undefined;
  icmp: IcmpInfo | undefined = undefined;
  proto = -1;
  srcPort = 0;
  dstPort = 0;
  payloadStart = 0;
  payloadEnd = 0;
  isFragment = false;
  ipLayers = 0;
  greLayers = 0;
  verify = false;
  stats: DecodeStats | undefined = undefined;

  event(e: DecoderEvent): void {
    this.events.push(e);
    if (this.stats !== undefined) this.stats.events++;
  }

  /** Ready for a new packet; `events` is fresh because it goes to the Packet (later stages add to it). */
  reset(verify: boolean, stats: DecodeStats | undefined): void {
    this.layers.clear();
    this.events = [];
    this.ip = undefined;
    this.tcp = undefined;
    this.udp = undefined;
    this.icmp = undefined;
    this.proto = -1;
    this.srcPort = 0;
    this.dstPort = 0;
    this.payloadStart = 0;
    this.payloadEnd = 0;
    this.isFragment = false;
    this.ipLayers = 0;
    this.greLayers = 0;
    this.verify = verify;
    this.stats = stats;
  }
}

const scratch = new State();

/**
 * Raises `e` when `when` holds. The checks every packet of a layer goes through call it each time rather
 * than `if (...) s.event(e)`: in optimised code an anomaly first seen late in a capture met a site with
 * no type feedback, which deoptimised and recompiled the whole decode function (with the layers inlined
 * into it), while calls made on every packet are never cold and raise through one shared site.
 */
function eventIf(s: State, when: boolean, e: DecoderEvent): void {
  if (when) s.event(e);
}

/** Raises `e` unless it is undefined; called on every packet, like eventIf. */
function eventOf(s: State, e: DecoderEvent | undefined): void {
  if (e !== undefined) s.event(e);
}

/**
 * Shares one frozen array per distinct sequence (layer names, TCP option kinds) between packets: almost
 * every packet has one of a handful, and an array per packet was a large part of the decoder's garbage.
 * A trie over the items, capped so crafted traffic cannot grow it without bound (past the cap, copies).
 */
class Interner<T> {
  private readonly root: InternNode<T> = { list: Object.freeze([]), items: [], next: [] };
  private nodes = 0;
  constructor(private readonly maxNodes: number) {}

  intern(list: ScratchList<T>): readonly T[] {
    const items = list.items;
    let node = this.root;
    for (let i = 0; i < list.length; i++) {
      const item = items[i];
      const keys = node.items;
      let j = 0;
      while (j < keys.length && keys[j] !== item) j++;
      if (j === keys.length) {
        if (this.nodes >= this.maxNodes) return items.slice(0, list.length);
        keys.push(item);
        node.next.push({ list: Object.freeze(items.slice(0, i + 1)), items: [], next: [] });
        this.nodes++;
      }
      node = node.next[j];
    }
    return node.list;
  }
}

interface InternNode<T> {
  readonly list: readonly T[];
  readonly items: T[];
  readonly next: InternNode<T>[];
}

const layerLists = new Interner<string>(4096);
const kindLists = new Interner<number>(4096);

const EMPTY = new Uint8Array(0);

/**
 * Decodes one captured frame.
 *
 * Checksums (-k all): a bad checksum sets `checksumOk: false` on its layer and is counted in the
 * stats; like Snort, no gid 116 event exists for it and decoding of the inner layers stops there
 * (a bad IPv4 header checksum leaves no transport layer). Callers use `hasBadChecksum()` to skip
 * detection on such packets, as Snort does.
 *
 * @example
 * const pkt = decodePacket(raw, { checksums: 'none' });
 * if (pkt.tcp && pkt.payload.length > 0) inspect(pkt);
 */
export function decodePacket(raw: RawPacket, options: DecodeOptions = {}): Packet {
  const s = scratch;
  s.reset(options.checksums === 'all', options.stats);
  const d = raw.data;
  if (s.stats !== undefined) {
    s.stats.packets++;
    s.stats.bytes += d.length;
  }
  decodeLink(s, d, raw.linkType);
  return new PacketRecord(
    raw,
    layerLists.intern(s.layers),
    s.ip,
    s.tcp,
    s.udp,
    s.icmp,
    s.proto,
    s.srcPort,
    s.dstPort,
    s.payloadEnd > s.payloadStart ? d.subarray(s.payloadStart, s.payloadEnd) : EMPTY,
    false,
    s.isFragment,
    undefined,
    undefined,
    s.events,
    undefined,
    'unknown',
  );
}

/** True when -k all found a bad checksum on any layer of the packet (Snort does not inspect it). */
export function hasBadChecksum(p: Packet): boolean {
  return (
    (p.ip !== undefined && p.ip.version === 4 && p.ip.checksumOk === false) ||
    p.tcp?.checksumOk === false ||
    p.udp?.checksumOk === false ||
    p.icmp?.checksumOk === false
  );
}

function decodeLink(s: State, d: Uint8Array, linkType: number): void {
  const n = d.length;
  switch (linkType) {
    case LT_ETHERNET:
      decodeEthernet(s, d, 0);
      return;
    case LT_RAW:
    case 12: // DLT_RAW on most BSDs, seen in old files
    case 14: // DLT_RAW on OpenBSD
      decodeIpByVersion(s, d, 0, n);
      return;
    case LT_IPV4:
      decodeIpv4(s, d, 0, n);
      return;
    case LT_IPV6:
      decodeIpv6(s, d, 0, n);
      return;
    case LT_LINUX_SLL:
      s.layers.push('sll');
      if (n < 16) {
        s.event(DECODE.ETH_HDR_TRUNC);
        return;
      }
      decodeEthertype(s, d, 16, (d[14] << 8) | d[15]);
      return;
    case LT_LINUX_SLL2:
      s.layers.push('sll2');
      if (n < 20) {
        s.event(DECODE.ETH_HDR_TRUNC);
        return;
      }
      decodeEthertype(s, d, 20, (d[0] << 8) | d[1]);
      return;
    case LT_NULL:
    case LT_LOOP: {
      s.layers.push('loop');
      if (n < 4) return;
      // NULL stores the family in the capturing host's byte order, LOOP in network order.
      const family = linkType === LT_LOOP || d[0] === 0 ? ((d[0] << 24) | (d[1] << 16) | (d[2] << 8) | d[3]) >>> 0 : (d[0] | (d[1] << 8) | (d[2] << 16) | (d[3] << 24)) >>> 0;
      if (family === 2) decodeIpv4(s, d, 4, n);
      else if (family === 24 || family === 28 || family === 30 || family === 10) decodeIpv6(s, d, 4, n);
      else if (s.stats !== undefined) s.stats.other++;
      return;
    }
    default:
      s.layers.push('unknown-link');
      if (s.stats !== undefined) s.stats.other++;
  }
}

function decodeEthernet(s: State, d: Uint8Array, off: number): void {
  if (d.length - off < 14) {
    s.event(DECODE.ETH_HDR_TRUNC);
    return;
  }
  s.layers.push('eth');
  if (s.stats !== undefined) s.stats.eth++;
  let type = (d[off + 12] << 8) | d[off + 13];
  off += 14;
  if (type < 0x0600) {
    // 802.3 length field: only LLC/SNAP carries an ethertype we can follow.
    if (d.length - off < 8) {
      s.event(DECODE.BAD_LLC_HEADER);
      return;
    }
    if (d[off] === 0xaa && d[off + 1] === 0xaa && d[off + 2] === 0x03) {
      s.layers.push('llc');
      type = (d[off + 6] << 8) | d[off + 7];
      off += 8;
    } else {
      s.layers.push('llc');
      if (s.stats !== undefined) s.stats.other++;
      return;
    }
  }
  decodeEthertype(s, d, off, type);
}

function decodeEthertype(s: State, d: Uint8Array, off: number, type: number): void {
  const n = d.length;
  for (;;) {
    if (s.layers.length > MAX_LAYERS) {
      s.event(DECODE.TOO_MANY_LAYERS);
      return;
    }
    switch (type) {
      case 0x0800:
        decodeIpv4(s, d, off, n);
        return;
      case 0x86dd:
        decodeIpv6(s, d, off, n);
        return;
      case 0x8100:
      case 0x88a8:
      case 0x9100:
      case 0x9200:
        if (n - off < 4) {
          s.event(DECODE.BAD_VLAN);
          return;
        }
        s.layers.push('vlan');
        if (s.stats !== undefined) s.stats.vlan++;
        type = (d[off + 2] << 8) | d[off + 3];
        off += 4;
        continue;
      case 0x8847:
      case 0x8848: {
        s.layers.push('mpls');
        if (s.stats !== undefined) s.stats.mpls++;
        // Labels until the bottom-of-stack bit.
        for (;;) {
          if (n - off < 4) {
            s.event(DECODE.BAD_MPLS);
            return;
          }
          const bos = d[off + 2] & 1;
          off += 4;
          if (bos) break;
          if (s.layers.length > MAX_LAYERS) {
            s.event(DECODE.TOO_MANY_LAYERS);
            return;
          }
        }
        if (off >= n) return;
        // No type field after MPLS: the first nibble tells IPv4 from IPv6; otherwise an Ethernet
        // pseudowire (with a zero control word when the nibble is 0).
        const nib = d[off] >> 4;
        if (nib === 4) decodeIpv4(s, d, off, n);
        else if (nib === 6) decodeIpv6(s, d, off, n);
        else decodeEthernet(s, d, nib === 0 ? off + 4 : off);
        return;
      }
      case 0x8864: {
        if (n - off < 8 || d[off] !== 0x11 || d[off + 1] !== 0) {
          s.event(DECODE.BAD_PPPOE);
          return;
        }
        s.layers.push('pppoe');
        if (s.stats !== undefined) s.stats.pppoe++;
        const ppp = (d[off + 6] << 8) | d[off + 7];
        const plen = (d[off + 4] << 8) | d[off + 5];
        const end = Math.min(n, off + 6 + plen);
        if (ppp === 0x0021) decodeIpv4(s, d, off + 8, end);
        else if (ppp === 0x0057) decodeIpv6(s, d, off + 8, end);
        else if (s.stats !== undefined) s.stats.other++;
        return;
      }
      case 0x8863:
        s.layers.push('pppoe-discovery');
        return;
      case 0x0806:
      case 0x8035:
        s.layers.push('arp');
        if (s.stats !== undefined) s.stats.arp++;
        if (n - off < 28) s.event(DECODE.ARP_TRUNCATED);
        return;
      case 0x6558:
        decodeEthernet(s, d, off);
        return;
      default:
        if (s.stats !== undefined) s.stats.other++;
        return;
    }
  }
}

function decodeIpByVersion(s: State, d: Uint8Array, off: number, end: number): void {
  if (end - off < 1) return;
  const v = d[off] >> 4;
  if (v === 6) decodeIpv6(s, d, off, end);
  else decodeIpv4(s, d, off, end);
}

/** Ones'-complement sum of 16-bit big-endian words in d[start, end). */
function sum16(d: Uint8Array, start: number, end: number, acc: number): number {
  let i = start;
  const last = end - 1;
  for (; i < last; i += 2) acc += (d[i] << 8) | d[i + 1];
  if (i < end) acc += d[i] << 8;
  return acc;
}

function fold(acc: number): number {
  while (acc > 0xffff) acc = (acc & 0xffff) + (acc >>> 16);
  return acc;
}

/** Pseudo-header sum for TCP/UDP/ICMPv6 checksums, from the current IP layer. */
function pseudoSum(s: State, d: Uint8Array, proto: number, len: number): number {
  const ip = s.ip;
  if (ip === undefined) return 0;
  if (ip.version === 4) {
    return (ip.src >>> 16) + (ip.src & 0xffff) + (ip.dst >>> 16) + (ip.dst & 0xffff) + proto + len;
  }
  let acc = sum16(ip.src, 0, 16, 0);
  acc = sum16(ip.dst, 0, 16, acc);
  return acc + proto + (len >>> 16) + (len & 0xffff);
}

/** What is wrong with the IPv4 header at `off` (the event ending the decode), or undefined. */
function ipv4HeaderProblem(s: State, d: Uint8Array, off: number, len: number): DecoderEvent | undefined {
  // The answers are module constants: a branch that only loads one needs no type feedback, so the first
  // malformed header of a capture does not deoptimise the decode functions this is inlined into.
  if (len < 20) return IP4_HDR_TRUNC;
  if (d[off] >> 4 !== 4) return NOT_IPV4_DGRAM;
  if (s.layers.length > MAX_LAYERS) return TOO_MANY_LAYERS;
  const hl = (d[off] & 0x0f) * 4;
  if (hl < 20) return IPV4_INVALID_HEADER_LEN;
  const totalLen = (d[off + 2] << 8) | d[off + 3];
  if (totalLen > len) return IPV4_DGRAM_GT_CAPLEN;
  if (totalLen < hl) return IPV4_DGRAM_LT_IPHDR;
  return undefined;
}

function decodeIpv4(s: State, d: Uint8Array, off: number, end: number): void {
  const len = end - off;
  const problem = ipv4HeaderProblem(s, d, off, len);
  eventOf(s, problem);
  if (problem !== undefined) return;
  const hl = (d[off] & 0x0f) * 4;
  const totalLen = (d[off + 2] << 8) | d[off + 3];
  s.ipLayers++;
  s.layers.push('ipv4');
  const st = s.stats;
  if (st !== undefined) st.ipv4++;
  const src = ((d[off + 12] << 24) | (d[off + 13] << 16) | (d[off + 14] << 8) | d[off + 15]) >>> 0;
  const dst = ((d[off + 16] << 24) | (d[off + 17] << 16) | (d[off + 18] << 8) | d[off + 19]) >>> 0;
  let checksumOk: boolean | undefined;
  if (s.verify) {
    checksumOk = fold(sum16(d, off, off + hl, 0)) === 0xffff;
    if (!checksumOk && st !== undefined) st.badChecksumIp++;
  }
  const fw = (d[off + 6] << 8) | d[off + 7];
  const flags = fw >> 13;
  const fragOffset = (fw & 0x1fff) * 8;
  const proto = d[off + 9];
  const options = hl > 20 ? decodeIpv4Options(s, d, off + 20, off + hl) : NO_OPTIONS;
  const ip: Ipv4Info = {
    version: 4,
    src,
    dst,
    headerLen: hl,
    totalLen,
    tos: d[off + 1],
    id: (d[off + 4] << 8) | d[off + 5],
    flags,
    fragOffset,
    ttl: d[off + 8],
    proto,
    options,
    checksumOk,
  };
  s.ip = ip;
  // Clear what an outer IP layer decided.
  s.tcp = undefined;
  s.udp = undefined;
  s.icmp = undefined;
  s.proto = proto;
  s.srcPort = 0;
  s.dstPort = 0;
  s.payloadStart = off + hl;
  s.payloadEnd = off + totalLen;

  eventIf(s, src === dst, DECODE.BAD_TRAFFIC_SAME_SRCDST);
  eventIf(s, src >>> 24 === 127 || dst >>> 24 === 127, DECODE.BAD_TRAFFIC_LOOPBACK);
  eventIf(s, src >>> 24 === 0, DECODE.IP4_SRC_THIS_NET);
  eventIf(s, dst >>> 24 === 0, DECODE.IP4_DST_THIS_NET);
  eventIf(s, src >>> 28 === 0xe, DECODE.IP4_SRC_MULTICAST);
  eventIf(s, src === 0xffffffff, DECODE.IP4_SRC_BROADCAST);
  eventIf(s, dst === 0xffffffff, DECODE.IP4_DST_BROADCAST);
  eventIf(s, (flags & 4) !== 0, DECODE.IP_RESERVED_FRAG_BIT);
  const payloadLen = totalLen - hl;
  eventIf(s, (flags & 2) !== 0 && fragOffset !== 0, DECODE.IP4_DF_OFFSET);
  // Snort compares the raw 13-bit offset field (not scaled by 8) with the length: kept for fidelity.
  eventIf(s, (fw & 0x1fff) + payloadLen > 65535, DECODE.IP4_LEN_OFFSET);
  if (options.length > 0) {
    for (let i = 0; i < options.length; i++) {
      if (options[i] !== 0) {
        s.event(DECODE.IP_OPTION_SET);
        break;
      }
    }
  }
  if (checksumOk === false) return;
  if (fragOffset !== 0 || flags & 1) {
    if (payloadLen === 0) s.event(DECODE.ZERO_LENGTH_FRAG);
    if (flags & 1 && flags & 2) s.event(DECODE.BAD_FRAGBITS);
    s.isFragment = true;
    if (st !== undefined) st.fragments++;
    return;
  }
  decodeIpPayload(s, d, proto, off + hl, off + totalLen);
}

const NO_OPTIONS: readonly number[] = Object.freeze([]);

function decodeIpv4Options(s: State, d: Uint8Array, start: number, end: number): number[] {
  const out: number[] = [];
  let i = start;
  while (i < end) {
    const code = d[i];
    if (code === 0) {
      out.push(0);
      break;
    }
    if (code === 1) {
      out.push(1);
      i++;
      continue;
    }
    if (i + 1 >= end) {
      s.event(DECODE.IPV4OPT_TRUNCATED);
      break;
    }
    const olen = d[i + 1];
    if (olen < 2) {
      s.event(DECODE.IPV4OPT_BADLEN);
      break;
    }
    if (i + olen > end) {
      s.event(DECODE.IPV4OPT_TRUNCATED);
      break;
    }
    out.push(code);
    i += olen;
  }
  return out;
}

function decodeIpv6(s: State, d: Uint8Array, off: number, end: number): void {
  const len = end - off;
  if (len < 40) {
    s.event(DECODE.IPV6_TRUNCATED);
    return;
  }
  if (d[off] >> 4 !== 6) {
    s.event(DECODE.IPV6_IS_NOT);
    return;
  }
  if (s.layers.length > MAX_LAYERS) {
    s.event(DECODE.TOO_MANY_LAYERS);
    return;
  }
  const payloadLen = (d[off + 4] << 8) | d[off + 5];
  if (40 + payloadLen > len) {
    s.event(DECODE.IPV6_DGRAM_GT_CAPLEN);
    return;
  }
  s.ipLayers++;
  s.layers.push('ipv6');
  const st = s.stats;
  if (st !== undefined) st.ipv6++;
  const ipEnd = off + 40 + payloadLen;
  const srcA = d.subarray(off + 8, off + 24);
  const dstA = d.subarray(off + 24, off + 40);
  eventIf(s, srcA[0] === 0xff, DECODE.IPV6_SRC_MULTICAST);
  let zero = true;
  for (let i = 0; i < 16; i++) {
    if (dstA[i] !== 0) {
      zero = false;
      break;
    }
  }
  eventIf(s, zero, DECODE.IPV6_DST_ZERO);

  // Walk the extension headers.
  let next = d[off + 6];
  let p = off + 40;
  const exts: number[] = [];
  let fragId: number | undefined;
  let fragOffset = 0;
  let more = false;
  let prevExt = -1;
  let truncated = false;
  for (;;) {
    if (next !== 0 && next !== 43 && next !== 44 && next !== 60 && next !== 51 && next !== 135 && next !== 139 && next !== 140) break;
    if (exts.length >= MAX_IP6_EXT) {
      s.event(DECODE.IP6_EXCESS_EXT_HDR);
      truncated = true;
      break;
    }
    if (ipEnd - p < 8) {
      s.event(DECODE.IPV6_TRUNCATED_EXT);
      truncated = true;
      break;
    }
    const hlen = next === 44 ? 8 : next === 51 ? (d[p + 1] + 2) * 4 : (d[p + 1] + 1) * 8;
    if (p + hlen > ipEnd) {
      s.event(DECODE.IPV6_TRUNCATED_EXT);
      truncated = true;
      break;
    }
    if (next === 0 && exts.length > 0) s.event(DECODE.IPV6_UNORDERED_EXTENSIONS);
    if (next === 43) {
      if (prevExt === 60) s.event(DECODE.IPV6_DSTOPTS_WITH_ROUTING);
      if (d[p + 2] === 0) s.event(DECODE.IPV6_ROUTE_ZERO);
    }
    if (next === 44) {
      const fo = (d[p + 2] << 8) | d[p + 3];
      fragOffset = fo & 0xfff8;
      more = (fo & 1) === 1;
      fragId = ((d[p + 4] << 24) | (d[p + 5] << 16) | (d[p + 6] << 8) | d[p + 7]) >>> 0;
      if (fragOffset !== 0 || more) {
        // A real fragment: what follows is fragment data, not headers. `proto` is the fragment
        // header's next header and the payload is the fragmentable part (what defrag needs).
        exts.push(44);
        next = d[p];
        p += 8;
        break;
      }
    }
    exts.push(next);
    prevExt = next;
    next = d[p];
    p += hlen;
  }
  const ip: Ipv6Info = {
    version: 6,
    src: srcA,
    dst: dstA,
    trafficClass: ((d[off] & 0x0f) << 4) | (d[off + 1] >> 4),
    flowLabel: ((d[off + 1] & 0x0f) << 16) | (d[off + 2] << 8) | d[off + 3],
    hopLimit: d[off + 7],
    proto: next,
    extHeaders: exts,
    fragId,
    fragOffset,
    moreFragments: more,
  };
  s.ip = ip;
  s.tcp = undefined;
  s.udp = undefined;
  s.icmp = undefined;
  s.proto = next;
  s.srcPort = 0;
  s.dstPort = 0;
  s.payloadStart = p;
  s.payloadEnd = ipEnd;
  if (truncated) return;
  if (fragId !== undefined && (fragOffset !== 0 || more)) {
    if (ipEnd === p) s.event(DECODE.ZERO_LENGTH_FRAG);
    s.isFragment = true;
    if (st !== undefined) st.fragments++;
    return;
  }
  decodeIpPayload(s, d, next, p, ipEnd);
}

function decodeIpPayload(s: State, d: Uint8Array, proto: number, off: number, end: number): void {
  if (proto === P_TCP) decodeTcp(s, d, off, end);
  else if (proto === P_UDP) decodeUdp(s, d, off, end);
  else decodeOtherPayload(s, d, proto, off, end);
}

/**
 * ICMP, tunnels and other protocols. Apart from TCP and UDP because it is called for few packets:
 * TurboFan does not inline a call that rare into the per-packet decode functions, so the first ICMP or
 * GRE datagram of a capture recompiles this function, not decodeIpv4 with everything inlined into it.
 */
function decodeOtherPayload(s: State, d: Uint8Array, proto: number, off: number, end: number): void {
  switch (proto) {
    case P_ICMP:
      decodeIcmp4(s, d, off, end);
      return;
    case P_ICMPV6:
      decodeIcmp6(s, d, off, end);
      return;
    case 4:
      decodeIpv4(s, d, off, end);
      return;
    case 41:
      decodeIpv6(s, d, off, end);
      return;
    case P_GRE:
      decodeGre(s, d, off, end);
      return;
    default:
      return; // payload = the IP payload, already set
  }
}

function decodeGre(s: State, d: Uint8Array, off: number, end: number): void {
  if (end - off < 4) {
    s.event(DECODE.GRE_DGRAM_LT_GREHDR);
    return;
  }
  s.greLayers++;
  const st = s.stats;
  const fl = (d[off] << 8) | d[off + 1];
  const version = fl & 7;
  const type = (d[off + 2] << 8) | d[off + 3];
  let hl = 4;
  if (version === 0) {
    // Routing present (R) or recursion control / reserved bits set: RFC 2784 says discard.
    if (fl & 0x4000 || fl & 0x07f8) {
      s.event(DECODE.GRE_INVALID_HEADER);
      return;
    }
    if (fl & 0x8000) hl += 4;
    if (fl & 0x2000) hl += 4;
    if (fl & 0x1000) hl += 4;
  } else if (version === 1) {
    // PPTP enhanced GRE: key required, protocol PPP, no checksum or routing.
    if (!(fl & 0x2000) || fl & 0xc000 || type !== 0x880b) {
      s.event(DECODE.GRE_V1_INVALID_HEADER);
      return;
    }
    hl += 4;
    if (fl & 0x1000) hl += 4;
    if (fl & 0x0080) hl += 4;
  } else {
    s.event(DECODE.GRE_INVALID_VERSION);
    return;
  }
  if (end - off < hl) {
    s.event(DECODE.GRE_DGRAM_LT_GREHDR);
    return;
  }
  s.layers.push('gre');
  if (st !== undefined) st.gre++;
  let p = off + hl;
  switch (type) {
    case 0x0800:
      decodeIpv4(s, d, p, end);
      return;
    case 0x86dd:
      decodeIpv6(s, d, p, end);
      return;
    case 0x6558:
      decodeEthernetRange(s, d, p, end);
      return;
    case 0x88be: {
      // ERSPAN type II: an 8-byte header (version 1) before the mirrored frame.
      if (end - p < 8 || d[p] >> 4 !== 1) {
        s.event(DECODE.ERSPAN_HDR_VERSION_MISMATCH);
        return;
      }
      s.layers.push('erspan');
      decodeEthernetRange(s, d, p + 8, end);
      return;
    }
    case 0x22eb: {
      // ERSPAN type III: 12 bytes (version 2), plus an 8-byte platform subheader when the O bit is set.
      if (end - p < 12) {
        s.event(DECODE.ERSPAN3_DGRAM_LT_HDR);
        return;
      }
      if (d[p] >> 4 !== 2) {
        s.event(DECODE.ERSPAN_HDR_VERSION_MISMATCH);
        return;
      }
      s.layers.push('erspan');
      decodeEthernetRange(s, d, p + 12 + (d[p + 11] & 1 ? 8 : 0), end);
      return;
    }
    case 0x880b: {
      if (p >= end) return; // PPTP ack without payload
      // PPP: optional address/control 0xff03, then a 1- or 2-byte protocol.
      if (end - p >= 2 && d[p] === 0xff && d[p + 1] === 0x03) p += 2;
      if (p >= end) return;
      let pp: number;
      if (d[p] & 1) {
        pp = d[p];
        p += 1;
      } else {
        if (end - p < 2) return;
        pp = (d[p] << 8) | d[p + 1];
        p += 2;
      }
      if (pp === 0x21) decodeIpv4(s, d, p, end);
      else if (pp === 0x57) decodeIpv6(s, d, p, end);
      return;
    }
    default:
      return;
  }
}

function decodeEthernetRange(s: State, d: Uint8Array, off: number, end: number): void {
  // Transparent Ethernet bridging inside GRE: decode the inner frame over its own view so that
  // lengths stay bounded by the GRE payload.
  const inner = d.subarray(0, end);
  decodeEthernet(s, inner, off);
}

/** What is wrong with the TCP header at `off` (the event ending the decode), or undefined (see ipv4HeaderProblem). */
function tcpHeaderProblem(d: Uint8Array, off: number, len: number): DecoderEvent | undefined {
  if (len < 20) return TCP_DGRAM_LT_TCPHDR;
  const hl = (d[off + 12] >> 4) * 4;
  if (hl < 20) return TCP_INVALID_OFFSET;
  if (hl > len) return TCP_LARGE_OFFSET;
  return undefined;
}

function decodeTcp(s: State, d: Uint8Array, off: number, end: number): void {
  const len = end - off;
  const problem = tcpHeaderProblem(d, off, len);
  eventOf(s, problem);
  if (problem !== undefined) return;
  const hl = (d[off + 12] >> 4) * 4;
  const st = s.stats;
  let checksumOk: boolean | undefined;
  if (s.verify) {
    checksumOk = fold(sum16(d, off, end, pseudoSum(s, d, 6, len))) === 0xffff;
    if (!checksumOk && st !== undefined) st.badChecksumTcp++;
  }
  const flags = d[off + 13];
  const srcPort = (d[off] << 8) | d[off + 1];
  const dstPort = (d[off + 2] << 8) | d[off + 3];
  const urgent = (d[off + 18] << 8) | d[off + 19];
  const options = hl > 20 ? kindLists.intern(decodeTcpOptions(s, d, off + 20, off + hl)) : NO_OPTIONS;
  s.layers.push('tcp');
  if (st !== undefined) st.tcp++;
  s.tcp = {
    srcPort,
    dstPort,
    seq: ((d[off + 4] << 24) | (d[off + 5] << 16) | (d[off + 6] << 8) | d[off + 7]) >>> 0,
    ack: ((d[off + 8] << 24) | (d[off + 9] << 16) | (d[off + 10] << 8) | d[off + 11]) >>> 0,
    headerLen: hl,
    flags,
    window: (d[off + 14] << 8) | d[off + 15],
    urgent,
    options,
    checksumOk,
  };
  s.srcPort = srcPort;
  s.dstPort = dstPort;
  s.payloadStart = off + hl;
  s.payloadEnd = end;
  if (checksumOk === false) return;
  const FIN = F_FIN;
  const SYN = F_SYN;
  const RST = F_RST;
  const PSH = F_PSH;
  const ACK = F_ACK;
  const URG = F_URG;
  eventIf(s, (flags & (FIN | PSH | URG)) === (FIN | PSH | URG), (flags & (SYN | ACK | RST)) === (SYN | ACK | RST) ? TCP_XMAS : TCP_NMAP_XMAS);
  if (flags & SYN) {
    if (flags === SYN) {
      const seq = s.tcp.seq;
      // Naptha DoS: a bare SYN with this sequence number and IP id 413.
      if (seq === 0x005c7b2a && s.ip !== undefined && s.ip.version === 4 && s.ip.id === 413) s.event(DECODE.DOS_NAPTHA);
    }
    if ((flags & 0x3f) === SYN && s.tcp.seq === 674711609) s.event(DECODE.TCP_SHAFT_SYNFLOOD);
    eventIf(s, (flags & RST) !== 0, DECODE.TCP_SYN_RST);
    eventIf(s, (flags & FIN) !== 0, DECODE.TCP_SYN_FIN);
  }
  eventIf(s, (flags & (SYN | ACK | RST)) === 0, DECODE.TCP_NO_SYN_ACK_RST);
  eventIf(s, (flags & (FIN | PSH | URG)) !== 0 && (flags & ACK) === 0, DECODE.TCP_MUST_ACK);
  const dsize = len - hl;
  // The length test first, so it runs on every segment (an URG flag is rare).
  eventIf(s, (dsize === 0 || urgent > dsize) && (flags & URG) !== 0, DECODE.TCP_BAD_URP);
  eventIf(s, srcPort === 0 || dstPort === 0, DECODE.TCP_PORT_ZERO);
}

/** Reads the option kinds into `s.kinds` (scratch) and returns it. */
function decodeTcpOptions(s: State, d: Uint8Array, start: number, end: number): ScratchList<number> {
  const out = s.kinds;
  out.clear();
  let i = start;
  let experimental = false;
  let obsolete = false;
  while (i < end) {
    const code = d[i];
    if (code === 0) {
      out.push(0);
      break;
    }
    if (code === 1) {
      out.push(1);
      i++;
      continue;
    }
    // Fixed lengths per RFC; variable-length options need at least 2.
    let expect = -1;
    switch (code) {
      case 2:
        expect = 4;
        break;
      case 3:
        expect = 3;
        break;
      case 4:
        expect = 2;
        break;
      case 6:
      case 7:
        expect = 6;
        obsolete = true;
        break;
      case 8:
        expect = 10;
        break;
      case 11:
      case 12:
      case 13:
        expect = 6;
        if (code === 13) s.event(DECODE.TCPOPT_TTCP);
        break;
      case 19:
        expect = 18;
        obsolete = true;
        break;
      case 5: // SACK
      case 29: // TCP-AO
      case 30: // MPTCP
      case 34: // TCP Fast Open cookie: common in modern traffic, so not flagged (Snort files it as experimental)
        break;
      case 16: // skeeter
      case 17: // bubba
        obsolete = true;
        break;
      default:
        experimental = true;
    }
    if (i + 1 >= end) {
      s.event(DECODE.TCPOPT_TRUNCATED);
      return out;
    }
    const olen = d[i + 1];
    if (expect > 1) {
      if (i + expect > end) {
        s.event(DECODE.TCPOPT_TRUNCATED);
        return out;
      }
      if (olen !== expect) {
        s.event(DECODE.TCPOPT_BADLEN);
        return out;
      }
    } else {
      if (olen < 2 || ((code === 5 || code === 29) && olen < (code === 29 ? 4 : 2))) {
        s.event(DECODE.TCPOPT_BADLEN);
        return out;
      }
      if (i + olen > end) {
        s.event(DECODE.TCPOPT_TRUNCATED);
        return out;
      }
    }
    if (code === 3 && d[i + 2] > 14) s.event(DECODE.TCPOPT_WSCALE_INVALID);
    out.push(code);
    i += olen;
  }
  if (experimental) s.event(DECODE.TCPOPT_EXPERIMENTAL);
  else if (obsolete) s.event(DECODE.TCPOPT_OBSOLETE);
  return out;
}

/** What is wrong with the UDP header at `off` (the event ending the decode), or undefined (see ipv4HeaderProblem). */
function udpHeaderProblem(d: Uint8Array, off: number, len: number): DecoderEvent | undefined {
  if (len < 8) return UDP_DGRAM_LT_UDPHDR;
  const ulen = (d[off + 4] << 8) | d[off + 5];
  if (ulen < 8) return UDP_DGRAM_INVALID_LENGTH;
  if (ulen > len) return UDP_DGRAM_SHORT_PACKET;
  return undefined;
}

function decodeUdp(s: State, d: Uint8Array, off: number, end: number): void {
  const len = end - off;
  const problem = udpHeaderProblem(d, off, len);
  eventOf(s, problem);
  if (problem !== undefined) return;
  const ulen = (d[off + 4] << 8) | d[off + 5];
  eventIf(s, ulen < len, DECODE.UDP_DGRAM_LONG_PACKET);
  const st = s.stats;
  const ck = (d[off + 6] << 8) | d[off + 7];
  const v6 = s.ip !== undefined && s.ip.version === 6;
  eventIf(s, v6 && ck === 0, DECODE.UDP_IPV6_ZERO_CHECKSUM);
  let checksumOk: boolean | undefined;
  if (s.verify && ck !== 0) {
    checksumOk = fold(sum16(d, off, off + ulen, pseudoSum(s, d, 17, ulen))) === 0xffff;
    if (!checksumOk && st !== undefined) st.badChecksumUdp++;
  }
  const srcPort = (d[off] << 8) | d[off + 1];
  const dstPort = (d[off + 2] << 8) | d[off + 3];
  s.layers.push('udp');
  if (st !== undefined) st.udp++;
  s.udp = { srcPort, dstPort, length: ulen, checksumOk };
  s.srcPort = srcPort;
  s.dstPort = dstPort;
  s.payloadStart = off + 8;
  s.payloadEnd = off + ulen;
  eventIf(s, srcPort === 0 || dstPort === 0, DECODE.UDP_PORT_ZERO);
  if (checksumOk === false || s.layers.length > MAX_LAYERS) return;
  // UDP tunnels Snort 3 decodes by default (udp codec: Teredo on 3544, vxlan_ports 4789,
  // geneve_ports 6081; GTP is off by default). Inner layers replace the outer ones for detection.
  if (srcPort === 3544 || dstPort === 3544) decodeTeredo(s, d, off + 8, off + ulen);
  else if (dstPort === 4789 || srcPort === 4789) decodeVxlan(s, d, off + 8, off + ulen);
  else if (dstPort === 6081 || srcPort === 6081) decodeGeneve(s, d, off + 8, off + ulen);
}

function decodeTeredo(s: State, d: Uint8Array, off: number, end: number): void {
  let p = off;
  // Optional authentication (0x0001) and origin indication (0x0000) headers before the IPv6 packet.
  if (end - p >= 13 && d[p] === 0 && d[p + 1] === 1) p += 13 + d[p + 2] + d[p + 3];
  if (end - p >= 8 && d[p] === 0 && d[p + 1] === 0) p += 8;
  // Only an IPv6 header that fits makes this Teredo; otherwise it stays plain UDP (Snort's unsure encapsulation).
  if (end - p < 40 || d[p] >> 4 !== 6 || 40 + ((d[p + 4] << 8) | d[p + 5]) > end - p) return;
  s.layers.push('teredo');
  decodeIpv6(s, d.subarray(0, end), p, end);
}

function decodeVxlan(s: State, d: Uint8Array, off: number, end: number): void {
  if (end - off < 8 + 14 || !(d[off] & 0x08)) return;
  s.layers.push('vxlan');
  decodeEthernetRange(s, d, off + 8, end);
}

function decodeGeneve(s: State, d: Uint8Array, off: number, end: number): void {
  if (end - off < 8 || d[off] >> 6 !== 0) return;
  const hl = 8 + (d[off] & 0x3f) * 4;
  if (end - off < hl) return;
  const type = (d[off + 2] << 8) | d[off + 3];
  s.layers.push('geneve');
  if (type === 0x6558) decodeEthernetRange(s, d, off + hl, end);
  else if (type === 0x0800) decodeIpv4(s, d, off + hl, end);
  else if (type === 0x86dd) decodeIpv6(s, d, off + hl, end);
}

function decodeIcmp4(s: State, d: Uint8Array, off: number, end: number): void {
  const len = end - off;
  if (len < 4) {
    s.event(DECODE.ICMP4_HDR_TRUNC);
    return;
  }
  const type = d[off];
  let need = 8;
  let hdr = 8;
  if (type === 13 || type === 14) {
    need = 20;
    hdr = 20;
  } else if (type === 17 || type === 18) {
    need = 12;
    hdr = 12;
  }
  if (len < need) {
    s.event(need === 20 ? DECODE.ICMP_DGRAM_LT_TIMESTAMPHDR : need === 12 ? DECODE.ICMP_DGRAM_LT_ADDRHDR : DECODE.ICMP_DGRAM_LT_ICMPHDR);
    return;
  }
  const st = s.stats;
  let checksumOk: boolean | undefined;
  if (s.verify) {
    checksumOk = fold(sum16(d, off, end, 0)) === 0xffff;
    if (!checksumOk && st !== undefined) st.badChecksumIcmp++;
  }
  const hasId = type === 0 || type === 8 || (type >= 13 && type <= 18);
  s.layers.push('icmp');
  if (st !== undefined) st.icmp++;
  s.icmp = {
    version: 4,
    type,
    code: d[off + 1],
    id: hasId ? (d[off + 4] << 8) | d[off + 5] : undefined,
    seq: hasId ? (d[off + 6] << 8) | d[off + 7] : undefined,
    checksumOk,
  };
  s.payloadStart = off + hdr;
  s.payloadEnd = end;
  if (checksumOk === false) return;
  // Error messages quote the offending IP header.
  if (type === 3 || type === 4 || type === 5 || type === 11 || type === 12) {
    const q = off + 8;
    if (end - q < 20) s.event(DECODE.ICMP_ORIG_IP_TRUNCATED);
    else if (d[q] >> 4 !== 4) s.event(DECODE.ICMP_ORIG_IP_VER_MISMATCH);
  }
}

function decodeIcmp6(s: State, d: Uint8Array, off: number, end: number): void {
  const len = end - off;
  if (len < 4) {
    s.event(DECODE.ICMP6_HDR_TRUNC);
    return;
  }
  const type = d[off];
  const st = s.stats;
  let checksumOk: boolean | undefined;
  if (s.verify && s.ip !== undefined && s.ip.version === 6) {
    checksumOk = fold(sum16(d, off, end, pseudoSum(s, d, 58, len))) === 0xffff;
    if (!checksumOk && st !== undefined) st.badChecksumIcmp++;
  }
  const echo = (type === 128 || type === 129) && len >= 8;
  s.layers.push('icmp6');
  if (st !== undefined) st.icmp6++;
  s.icmp = {
    version: 6,
    type,
    code: d[off + 1],
    id: echo ? (d[off + 4] << 8) | d[off + 5] : undefined,
    seq: echo ? (d[off + 6] << 8) | d[off + 7] : undefined,
    checksumOk,
  };
  s.payloadStart = off + (len >= 8 ? 8 : 4);
  s.payloadEnd = end;
  if (type === 2 && len >= 8) {
    const mtu = ((d[off + 4] << 24) | (d[off + 5] << 16) | (d[off + 6] << 8) | d[off + 7]) >>> 0;
    if (mtu < 1280) s.event(DECODE.ICMPV6_TOO_BIG_BAD_MTU);
  }
}
