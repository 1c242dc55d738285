import { LINKTYPE, PacketRecord, RawPacketRecord } from '../types.js';
import type { DecoderEvent, Packet, RawPacket } from '../types.js';
import { decodePacket, type DecodeOptions } from './decode.js';
import { DEFRAG } from './events.js';

/**
 * IPv4 and IPv6 fragment reassembly (Snort's defrag / stream_ip).
 *
 * Fragments are kept (copied, so capture chunks can be freed) per datagram key
 * (src, dst, id, protocol / IP version). When the last fragment is known and the bytes from 0 to the
 * end are covered, the datagram is rebuilt — the first fragment's IP header with lengths fixed and
 * the reassembled payload — and decoded again as a raw IP packet with `rebuilt: true`.
 *
 * Overlaps follow a documented target policy:
 * - `first` (default): bytes received first win, later overlapping bytes are ignored (BSD, Windows
 *   and Solaris behave this way for most overlaps);
 * - `last`: later bytes overwrite earlier ones (Cisco IOS / "last" targets).
 * Every overlap with different bytes raises 123:8 (a repeated fragment with the same bytes is a
 * counted duplicate, no event); more than `maxOverlaps` on one datagram raises 123:12 and the datagram is
 * dropped, as is a datagram that would exceed 65,535 bytes (123:7).
 *
 * IPv6 (RFC 8200 4.5): the rebuilt datagram is the first fragment's unfragmentable part (the IPv6
 * header and the extension headers before the fragment header: hop-by-hop, routing, destination
 * options) followed by the reassembled fragmentable part. The fragment header is removed: the Next
 * Header field that pointed to it (the last unfragmentable header's, or the IPv6 header's) takes the
 * fragment header's Next Header, and the Payload Length is recomputed.
 */

export type OverlapPolicy = 'first' | 'last';

export interface DefragOptions {
  /** Seconds (capture time) after the first fragment before an incomplete datagram is dropped (Snort: 60). */
  readonly timeoutSec?: number;
  /** Bytes of fragment data kept at most; the oldest datagrams are pruned beyond it (default 32 MiB). */
  readonly maxBytes?: number;
  /** Datagrams tracked at most (default 65,536). */
  readonly maxTrackers?: number;
  readonly policy?: OverlapPolicy;
  /** Overlaps on one datagram before it is dropped with 123:12 (default 16). */
  readonly maxOverlaps?: number;
  /** Fragments on one datagram before it is dropped (default 8,192, Snort's max_frags). */
  readonly maxFragments?: number;
  /** Decoder options for the rebuilt datagram. */
  readonly decode?: DecodeOptions;
}

/** Counters of the defragmenter. */
export interface DefragStats {
  fragments: number;
  reassembled: number;
  timedOut: number;
  /** Datagrams dropped to stay under maxBytes / maxTrackers. */
  pruned: number;
  /** Fragments overlapping earlier ones with different bytes (123:8). */
  overlaps: number;
  /** Fragments repeating bytes already held (retransmissions): no event. */
  duplicates: number;
  /** Datagrams given up for anomalies (oversize, excessive overlap, too many fragments). */
  discarded: number;
}

interface Fragment {
  readonly off: number;
  readonly data: Uint8Array;
}

interface Tracker {
  readonly key: string;
  readonly version: 4 | 6;
  readonly firstTs: number;
  frags: Fragment[];
  /** End of the datagram payload once the last fragment arrived, else -1. */
  end: number;
  bytes: number;
  overlaps: number;
  /** Copy of the IP header to rebuild with (first fragment's, else the first seen until it arrives). */
  header: Uint8Array;
  headerFromFirst: boolean;
  proto: number;
}

function ts(raw: RawPacket): number {
  return raw.tsSec + raw.tsUsec / 1e6;
}

function hex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return s;
}

/**
 * Reassembles fragmented IP datagrams.
 *
 * @example
 * const defrag = new Defragmenter({ policy: 'first' });
 * const pkt = decodePacket(raw);
 * if (pkt.isFragment) { const whole = defrag.process(pkt); if (whole) inspect(whole); }
 */
export class Defragmenter {
  readonly stats: DefragStats = { fragments: 0, reassembled: 0, timedOut: 0, pruned: 0, overlaps: 0, duplicates: 0, discarded: 0 };
  private readonly trackers = new Map<string, Tracker>();
  private bytes = 0;
  private readonly timeoutSec: number;
  private readonly maxBytes: number;
  private readonly maxTrackers: number;
  private readonly policy: OverlapPolicy;
  private readonly maxOverlaps: number;
  private readonly maxFragments: number;
  private readonly decodeOptions: DecodeOptions;

  constructor(options: DefragOptions = {}) {
    this.timeoutSec = options.timeoutSec ?? 60;
    this.maxBytes = options.maxBytes ?? 32 << 20;
    this.maxTrackers = options.maxTrackers ?? 65_536;
    this.policy = options.policy ?? 'first';
    this.maxOverlaps = options.maxOverlaps ?? 16;
    this.maxFragments = options.maxFragments ?? 8192;
    // Both keys set, in PacketDecoder's order: decodePacket then sees one shape of options object.
    this.decodeOptions = { checksums: options.decode?.checksums, stats: options.decode?.stats };
  }

  /** Datagrams currently waiting for fragments. */
  get pending(): number {
    return this.trackers.size;
  }

  /** Bytes of fragment data held. */
  get heldBytes(): number {
    return this.bytes;
  }

  /**
   * Adds a fragment (a packet with `isFragment`). Returns the rebuilt datagram when this fragment
   * completed it, else undefined. Anomalies are added to the fragment's `events`.
   */
  process(pkt: Packet): Packet | undefined {
    const ip = pkt.ip;
    if (!pkt.isFragment || ip === undefined) return undefined;
    this.stats.fragments++;
    const now = ts(pkt.raw);
    this.expire(now);
    let key: string;
    let off: number;
    let more: boolean;
    if (ip.version === 4) {
      key = `4:${ip.src}:${ip.dst}:${ip.id}:${ip.proto}`;
      off = ip.fragOffset;
      more = (ip.flags & 1) === 1;
    } else {
      key = `6:${hex(ip.src)}:${hex(ip.dst)}:${ip.fragId ?? 0}`;
      off = ip.fragOffset;
      more = ip.moreFragments;
    }
    const data = pkt.payload;
    if (data.length === 0) {
      pkt.events.push(DEFRAG.ANOMALY_ZERO);
      return undefined;
    }
    if (off + data.length > 65535) {
      pkt.events.push(DEFRAG.ANOMALY_OVERSIZE);
      this.drop(key);
      this.stats.discarded++;
      return undefined;
    }
    let t = this.trackers.get(key);
    if (t === undefined) {
      if (this.trackers.size >= this.maxTrackers) this.pruneOldest();
      t = {
        key,
        version: ip.version,
        firstTs: now,
        frags: [],
        end: -1,
        bytes: 0,
        overlaps: 0,
        header: this.headerCopy(pkt),
        headerFromFirst: off === 0,
        proto: ip.proto,
      };
      this.trackers.set(key, t);
    } else if (off === 0 && !t.headerFromFirst) {
      t.header = this.headerCopy(pkt);
      t.headerFromFirst = true;
      t.proto = ip.proto;
    }
    const fragEnd = off + data.length;
    if (!more) {
      if (t.end >= 0 && t.end !== fragEnd) {
        // Two different "last" fragments: Snort calls the datagram bogus.
        pkt.events.push(DEFRAG.ANOMALY_OVERLAP);
      }
      t.end = fragEnd;
    }
    for (const f of t.frags) {
      if (off < f.off + f.data.length && f.off < fragEnd) {
        // The same bytes again (a retransmitted fragment) are a duplicate, not an attack.
        const from = Math.max(off, f.off);
        const to = Math.min(fragEnd, f.off + f.data.length);
        let differs = false;
        for (let i = from; i < to; i++) {
          if (data[i - off] !== f.data[i - f.off]) {
            differs = true;
            break;
          }
        }
        if (!differs) {
          this.stats.duplicates++;
          continue;
        }
        t.overlaps++;
        this.stats.overlaps++;
        pkt.events.push(f.off <= off && fragEnd <= f.off + f.data.length && off !== f.off ? DEFRAG.TEARDROP : DEFRAG.ANOMALY_OVERLAP);
        break;
      }
    }
    if (t.overlaps > this.maxOverlaps || t.frags.length >= this.maxFragments) {
      if (t.overlaps > this.maxOverlaps) pkt.events.push(DEFRAG.EXCESSIVE_OVERLAP);
      this.drop(key);
      this.stats.discarded++;
      return undefined;
    }
    t.frags.push({ off, data: Uint8Array.from(data) });
    t.bytes += data.length;
    this.bytes += data.length;
    while (this.bytes > this.maxBytes && this.trackers.size > 0) this.pruneOldest();
    if (!this.trackers.has(key)) return undefined;
    const events = pkt.events;
    return this.tryComplete(t, pkt, events);
  }

  /** Drops datagrams whose first fragment is older than the timeout at capture time `nowSec`. */
  expire(nowSec: number): void {
    for (const t of this.trackers.values()) {
      if (nowSec - t.firstTs <= this.timeoutSec) break; // Map order is arrival order
      this.drop(t.key);
      this.stats.timedOut++;
    }
  }

  private headerCopy(pkt: Packet): Uint8Array {
    const ip = pkt.ip;
    if (ip === undefined) return new Uint8Array(0);
    // The IP header sits right before the payload (IPv4) or at the start of the IPv6 layer.
    const d = pkt.raw.data;
    const payloadAt = pkt.payload.byteOffset - d.byteOffset;
    if (ip.version === 4) return Uint8Array.from(d.subarray(payloadAt - ip.headerLen, payloadAt));
    // IPv6: everything from the fixed header up to the fragment header, which sits right before the
    // fragment data (the decoder stops at it).
    const start = ip.src.byteOffset - d.byteOffset - 8;
    const fragHeaderAt = payloadAt - 8;
    return Uint8Array.from(d.subarray(start, fragHeaderAt >= start + 40 ? fragHeaderAt : start + 40));
  }

  /** Offset, in an IPv6 unfragmentable part, of the Next Header field that pointed to the fragment header. */
  private static lastNextHeaderField(h: Uint8Array): number {
    let field = 6;
    let next = h[6];
    let pos = 40;
    while (pos + 2 <= h.length) {
      const len = next === 51 ? (h[pos + 1] + 2) * 4 : (h[pos + 1] + 1) * 8;
      if (pos + len > h.length) break;
      field = pos;
      next = h[pos];
      pos += len;
    }
    return field;
  }

  private drop(key: string): void {
    const t = this.trackers.get(key);
    if (t === undefined) return;
    this.bytes -= t.bytes;
    this.trackers.delete(key);
  }

  private pruneOldest(): void {
    const first = this.trackers.keys().next();
    if (first.done === true) return;
    this.drop(first.value);
    this.stats.pruned++;
  }

  private tryComplete(t: Tracker, pkt: Packet, events: DecoderEvent[]): Packet | undefined {
    if (t.end < 0 || !t.headerFromFirst) return undefined;
    const sorted = [...t.frags].sort((a, b) => a.off - b.off);
    let covered = 0;
    for (const f of sorted) {
      if (f.off > covered) return undefined; // a hole
      covered = Math.max(covered, f.off + f.data.length);
    }
    if (covered < t.end) return undefined;
    const total = t.end;
    const hl = t.header.length;
    if (t.version === 6 && hl - 40 + total > 65535) {
      // The unfragmentable headers plus the data would not fit an IPv6 payload length.
      events.push(DEFRAG.ANOMALY_OVERSIZE);
      this.drop(t.key);
      this.stats.discarded++;
      return undefined;
    }
    const buf = new Uint8Array(hl + total);
    buf.set(t.header, 0);
    // Apply fragments in arrival order; with 'first' only bytes not yet written are taken.
    if (this.policy === 'last') {
      for (const f of t.frags) buf.set(f.off + f.data.length > total ? f.data.subarray(0, total - f.off) : f.data, hl + f.off);
    } else {
      const done = new Uint8Array(total);
      for (const f of t.frags) {
        const lim = Math.min(f.data.length, total - f.off);
        for (let i = 0; i < lim; i++) {
          const at = f.off + i;
          if (done[at] === 0) {
            done[at] = 1;
            buf[hl + at] = f.data[i];
          }
        }
      }
    }
    let linkType: number;
    if (t.version === 4) {
      const len = hl + total;
      buf[2] = len >> 8;
      buf[3] = len & 0xff;
      buf[6] = buf[6] & 0x40; // keep DF, clear MF and the offset
      buf[7] = 0;
      buf[10] = 0;
      buf[11] = 0;
      let sum = 0;
      for (let i = 0; i < hl; i += 2) sum += (buf[i] << 8) | buf[i + 1];
      while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
      const ck = ~sum & 0xffff;
      buf[10] = ck >> 8;
      buf[11] = ck & 0xff;
      linkType = LINKTYPE.IPV4;
    } else {
      const payloadLen = hl - 40 + total;
      buf[4] = payloadLen >> 8;
      buf[5] = payloadLen & 0xff;
      buf[Defragmenter.lastNextHeaderField(t.header)] = t.proto;
      linkType = LINKTYPE.IPV6;
    }
    this.drop(t.key);
    this.stats.reassembled++;
    const raw = new RawPacketRecord(pkt.raw.num, pkt.raw.tsSec, pkt.raw.tsUsec, linkType, buf, buf.length);
    const w = decodePacket(raw, this.decodeOptions);
    return new PacketRecord(w.raw, w.layers, w.ip, w.tcp, w.udp, w.icmp, w.proto, w.srcPort, w.dstPort, w.payload, true, w.isFragment, undefined, undefined, w.events, w.flow, w.direction);
  }
}
