import { PacketRecord, RawPacketRecord, type DecoderEvent, type FlowState, type Ipv6Info, type Packet } from '../types.js';
import type { Flow } from '../flow/flow-table.js';

// Local copies of the LINKTYPE / IPPROTO / TCP_FLAG values from types.ts: on the hot path a plain
// const is inlined by V8, a property of an imported object is a load per use (measured with --cpu-prof).
const F_FIN = 0x01;
const F_SYN = 0x02;
const F_RST = 0x04;
const F_ACK = 0x10;

/**
 * TCP reassembly, one tracker per direction of a flow (Snort's stream_tcp, IDS mode).
 *
 * What it does with segments:
 * - in order: appended to the direction's pending data;
 * - out of order: queued (copied) until the hole is filled;
 * - retransmitted (same bytes again): dropped and counted;
 * - overlapping with different bytes: resolved by the overlap policy and counted (129:7 past
 *   `maxOverlaps` on one direction):
 *   - `first` (default): bytes that arrived first win — what most targets (BSD, Windows, Solaris,
 *     Snort's "first") keep for retransmitted ranges;
 *   - `last`: bytes that arrived last win (Snort's "last", old Cisco IOS);
 * - missing (a capture loss): skipped when the peer acknowledges data past the hole, or when more
 *   than `maxQueuedBytes` wait behind it — the PDU before the gap is flushed first so that no PDU
 *   bridges a gap (counted in `gaps`).
 *
 * Flushing (when data becomes a ReassembledPdu for detection): a direction's pending data is flushed
 * when the other side acknowledges all of it and it is at least two segments and 192 bytes (Snort 3
 * inspects acknowledged data, cut by its AtomSplitter's rule), when the other side starts talking
 * (direction change — a request is complete when the response starts), on FIN or RST, when it reaches
 * `maxPdu` bytes, and when the flow ends (`flushFlow`). Flushed ranges never overlap, so a pattern split
 * across segments is seen exactly once, in one PDU (or not at all when an ACK flushed its first part).
 *
 * Window and timestamp state per side (Snort's `bsd` policy) gives the gid 129 anomalies: PAWS (129:4,
 * the segment is ignored) and missing timestamps (129:14), windows (129:6 over `maxWindow`, 129:19
 * slam), RSTs outside the receiver's window (129:15, ignored), and 129:1, 12, 13, 16, 17, 18, 20.
 *
 * Handshakes: each side's ISN comes from its own SYN, so the normal handshake, simultaneous open and
 * split handshakes (SYN / SYN / SYN+ACK...) all work; data on a SYN is delivered (TCP Fast Open) and
 * raises 129:2 unless the SYN carries a Fast Open cookie option (kind 34). A direction first seen
 * without a SYN is picked up at its first segment when `midstream` is on (default, like Snort).
 */

export type StreamOverlapPolicy = 'first' | 'last';

export interface TcpReassemblerOptions {
  readonly policy?: StreamOverlapPolicy;
  /** Pending bytes that force a flush (default 65,535). */
  readonly maxPdu?: number;
  /** Out-of-order bytes queued per direction before the hole is skipped (default 1 MiB). */
  readonly maxQueuedBytes?: number;
  /** Overlaps per direction before 129:7 (default 10, like Snort's overlap_limit when set). */
  readonly maxOverlaps?: number;
  /** Pick up sessions whose handshake was not seen (default true). */
  readonly midstream?: boolean;
  /**
   * Bytes held (pending + queued) across all flows before the reassembler sheds load (default 128 MiB):
   * past it, the direction that just received data is flushed at once and its holes skipped.
   */
  readonly maxTotalBytes?: number;
  /**
   * Largest window (after scaling) a packet may advertise before 129:6 (Snort's `max_window`;
   * default 0 = no limit, as in Snort).
   */
  readonly maxWindow?: number;
  /**
   * Snort's `small_segments`: `count` consecutive data segments shorter than `maximumSize` bytes in one
   * direction raise 129:12 (once, until a segment of at least `maximumSize` resets the run). Default off.
   */
  readonly smallSegments?: { readonly count: number; readonly maximumSize: number };
}

/** In-order data of one direction, ready for detection. */
export interface ReassembledPdu {
  readonly flow: FlowState;
  /** Who sent the data: 'client' (to_server) or 'server' (to_client). */
  readonly direction: 'client' | 'server';
  /** The reassembled bytes (owned by the PDU). */
  readonly data: Uint8Array;
  /** TCP sequence number of data[0]. */
  readonly seq: number;
  /** The packet whose arrival completed (flushed) the PDU. */
  readonly packet: Packet;
}

/** Reassembler counters. */
export interface StreamStats {
  segments: number;
  bytes: number;
  retransmits: number;
  overlaps: number;
  outOfOrder: number;
  gaps: number;
  pdus: number;
  midstream: number;
  fastOpen: number;
  /** Flushes forced by maxTotalBytes. */
  memcapFlushes: number;
  /** Segments ignored because their timestamp failed the PAWS check (129:4). */
  pawsRejects: number;
  /** RSTs ignored because they fell outside the receiver's window (129:15). */
  badResets: number;
  /** Sessions restarted by a SYN with a new ISN on an established session (129:1). */
  restarts: number;
}

function ev(sid: number, msg: string): DecoderEvent {
  return Object.freeze({ gid: 129, sid, msg });
}

/** Snort 3 stream_tcp events (gid 129) raised by the reassembler. */
export const STREAM = {
  SYN_ON_EST: ev(1, 'SYN on established session'),
  DATA_ON_SYN: ev(2, 'data on SYN packet'),
  DATA_ON_CLOSED: ev(3, 'data sent on stream not accepting data'),
  BAD_TIMESTAMP: ev(4, 'TCP timestamp is outside of PAWS window'),
  WINDOW_TOO_LARGE: ev(6, 'window size (after scaling) larger than policy allows'),
  EXCESSIVE_OVERLAP: ev(7, 'limit on number of overlapping TCP packets reached'),
  DATA_AFTER_RESET: ev(8, 'data sent on stream after TCP reset sent'),
  DATA_WITHOUT_FLAGS: ev(11, 'TCP data with no TCP flags set'),
  SMALL_SEGMENT: ev(12, 'consecutive TCP small segments exceeding threshold'),
  FOUR_WAY_HANDSHAKE: ev(13, '4-way handshake detected'),
  NO_TIMESTAMP: ev(14, 'TCP timestamp is missing'),
  BAD_RST: ev(15, 'reset outside window'),
  BAD_FIN: ev(16, 'FIN number is greater than prior FIN'),
  BAD_ACK: ev(17, 'ACK number is greater than prior FIN'),
  DATA_AFTER_RST_RCVD: ev(18, 'data sent on stream after TCP reset received'),
  WINDOW_SLAM: ev(19, 'TCP window closed before receiving data'),
  NO_3WHS: ev(20, 'TCP session without 3-way handshake'),
} as const;

interface Segment {
  seq: number;
  data: Uint8Array;
}

/**
 * A new, empty segment list that already has the element kind segments give an array: `[]` starts as
 * a list of small integers and changes its hidden class on the first push, so optimised code saw lists of
 * two classes (a "wrong map" deoptimisation of processInner). Slicing keeps the source's element kind.
 */
function segmentList(): Segment[] {
  return SEGMENT_KIND.slice(0, 0);
}

class Side {
  started = false;
  /** Next sequence number expected (end of the in-order data). */
  next = 0;
  /** In-order, not yet flushed bytes; pendingSeq is the sequence number of pending[0]. */
  pending: Uint8Array = EMPTY;
  pendingLen = 0;
  pendingSeq = 0;
  /** Out-of-order segments, sorted, not overlapping each other. */
  ooo: Segment[] = segmentList();
  oooBytes = 0;
  finSeq: number | undefined = undefined;
  rstSent = false;
  /** Bytes accepted so far (in order or queued). */
  received = 0;
  overlaps = 0;
  overlapEventRaised = false;
  /** This side's SYN was seen (else it was picked up midstream); `iss` is its sequence number. */
  synSeen = false;
  iss = 0;
  /** Window scale shift from this side's SYN (RFC 7323), -1 without the option. */
  wscale = -1;
  /** This side sends timestamps (its SYN carried one; midstream: its first packet did). */
  ts = false;
  /** Last timestamp accepted from this side (PAWS's TS.Recent) and the capture second it came. */
  tsLast = 0;
  tsLastSec = 0;
  /** Highest acknowledgment this side sent (the left edge of its receive window) and its window. */
  ackSeen = false;
  ack = 0;
  wnd = 0;
  /** The peer acknowledged this side's FIN (this side is in FIN_WAIT_2 until the peer's own FIN). */
  finAcked = false;
  /** Consecutive small data segments from this side (129:12). */
  smallRun = 0;
  /** Data segments accepted since the last flush (the ACK flush rule needs two). */
  pendingSegs = 0;
}

class StreamState {
  readonly client = new Side();
  readonly server = new Side();
  /** Directions seen (1 client, 2 server) and whether 129:20 was raised (once per session). */
  seen = 0;
  no3whsRaised = false;
  /**
   * The flow's last packet: a flow that ends on a timeout or prune is flushed while another flow's
   * packet is processed, and its PDUs must carry this flow's headers, not that packet's.
   */
  lastPacket: Packet | undefined = undefined;
  /** `lastPacket` is the packet as captured (a view into the reader's chunk), not yet detached. */
  lastIsView = false;
}

const EMPTY = new Uint8Array(0);
const SEGMENT_KIND: readonly Segment[] = [{ seq: 0, data: EMPTY }];
/**
 * Pending buffers up to SLAB_MAX bytes are cut from shared SLAB_SIZE slabs instead of each getting
 * an ArrayBuffer of its own: a backing store per PDU (54,728 PDUs on big.pcap, more with growth) cost
 * more CPU than the copies themselves (calloc, external-memory accounting, finalisation in GC). A slab
 * lives as long as one of its buffers does, so slabs stay small: a flow that idles with a few pending
 * bytes, or an inspector holding on to a PDU, pins 16 KiB at most.
 */
const SLAB_SIZE = 16 * 1024;
const SLAB_MAX = 2048;
/**
 * Larger pending buffers come in power-of-two sizes (capped at maxPdu), and a buffer outgrown by its
 * pending data goes to a short free list for the next one of its size: only the buffer a PDU ends in is
 * handed to detection, the ones it grew through (4, 8, 16, 32 KiB for a 64 KiB PDU) were garbage, and
 * a fresh ArrayBuffer per step was the costliest line of the reassembler (--cpu-prof).
 */
const SPARE_PER_SIZE = 8;
/** Streams whose last packet may stay a view before all are detached even though the buffer is the same. */
const MAX_VIEW_HOLDERS = 4096;
const NO_PDUS: readonly ReassembledPdu[] = Object.freeze([]);
/** Largest forward jump of an acknowledgment that is taken as a capture loss (beyond it: bogus ACK). */
const MAX_ACK_GAP = 16 << 20;
/** PAWS: a timestamp this much older (capture seconds) than the last one is no longer compared (RFC 7323 5.5). */
const PAWS_24DAYS = 24 * 24 * 60 * 60;
/** A client window at or below this, acknowledging only the server's SYN, is a window slam (Snort's SLAM_MAX). */
const SLAM_MAX = 4;
/**
 * An acknowledgment flushes the data it covers once that is at least two segments and this many bytes:
 * Snort 3's default splitter (AtomSplitter) flushes acknowledged data on the same rule, so a short
 * message sent in pieces (a shell banner line by line) is not cut where the receiver acknowledged it.
 */
const ACK_FLUSH_MIN = 192;
const OPT_WSCALE = 3;
const OPT_TIMESTAMP = 8;

/**
 * Offset of the packet's TCP header in `pkt.raw.data`, or -1. The decoder keeps option kinds only; the
 * values (timestamps, window scale) are read here, for the few packets that carry them.
 */
function tcpHeaderAt(pkt: Packet): number {
  const tcp = pkt.tcp!;
  const d = pkt.raw.data;
  const hl = tcp.headerLen;
  const p = pkt.payload;
  if (p.length > 0 && p.buffer === d.buffer) {
    const at = p.byteOffset - d.byteOffset - hl;
    if (at >= 0 && headerMatches(d, at, tcp.srcPort, tcp.dstPort, tcp.seq)) return at;
  }
  // No payload to anchor on (a SYN, a pure ACK): the header is the only place with these ports and seq.
  for (let at = 0; at + hl <= d.length; at++) if (headerMatches(d, at, tcp.srcPort, tcp.dstPort, tcp.seq)) return at;
  return -1;
}

function headerMatches(d: Uint8Array, at: number, sp: number, dp: number, seq: number): boolean {
  return (
    d[at] === sp >>> 8 &&
    d[at + 1] === (sp & 0xff) &&
    d[at + 2] === dp >>> 8 &&
    d[at + 3] === (dp & 0xff) &&
    ((d[at + 4] << 24) | (d[at + 5] << 16) | (d[at + 6] << 8) | d[at + 7]) >>> 0 === seq
  );
}

/** A copy of a packet that shares no memory with the capture buffer (its payload is dropped). */
function detachPacket(pkt: Packet): Packet {
  const ip = pkt.ip;
  const d = pkt.raw.data;
  const pl = pkt.payload;
  // Only the headers are kept (the payload is dropped below): a few dozen bytes instead of the frame.
  const hdr = pl.buffer === d.buffer && pl.byteOffset >= d.byteOffset && pl.byteOffset <= d.byteOffset + d.length ? pl.byteOffset - d.byteOffset : d.length;
  const r = pkt.raw;
  const raw = new RawPacketRecord(r.num, r.tsSec, r.tsUsec, r.linkType, d.slice(0, hdr), r.wireLen);
  const ipCopy = ip !== undefined && ip.version === 6 ? ipv6With(ip, ip.src.slice(), ip.dst.slice()) : ip;
  return new PacketRecord(raw, pkt.layers, ipCopy, pkt.tcp, pkt.udp, pkt.icmp, pkt.proto, pkt.srcPort, pkt.dstPort, EMPTY, pkt.rebuilt, pkt.isFragment, pkt.reassembled, pkt.section, [], pkt.flow, pkt.direction);
}

/** `ip` with other addresses, written out like the decoder's literal so it keeps its hidden class. */
export function ipv6With(ip: Ipv6Info, src: Uint8Array, dst: Uint8Array): Ipv6Info {
  return {
    version: 6,
    src,
    dst,
    trafficClass: ip.trafficClass,
    flowLabel: ip.flowLabel,
    hopLimit: ip.hopLimit,
    proto: ip.proto,
    extHeaders: ip.extHeaders,
    fragId: ip.fragId,
    fragOffset: ip.fragOffset,
    moreFragments: ip.moreFragments,
  };
}

/** Signed distance a - b in sequence space. */
function diff(a: number, b: number): number {
  return (a - b) | 0;
}

/**
 * Adds `e` to the packet's events when `when` holds. The checks of the per-packet path call it every
 * time they run instead of `if (...) pkt.events.push(e)`: optimised code that first meets an event late
 * in a capture (an RST carrying data, data after a FIN) found a site with no type feedback there,
 * deoptimised the whole of processInner and recompiled it (nine times on big.pcap, 40-90 ms of TurboFan
 * each), while a call made on every packet is never cold and pushes through one shared site.
 */
function raiseIf(pkt: Packet, when: boolean, e: DecoderEvent): void {
  if (when) pkt.events.push(e);
}

/**
 * Reassembles TCP streams. Run after the FlowTable (it reads `pkt.flow` and `pkt.direction`).
 *
 * @example
 * const flows = new FlowTable({ onEnd: (f) => pdus.push(...stream.flushFlow(f)) });
 * const stream = new TcpReassembler();
 * flows.process(pkt);
 * for (const pdu of stream.process(pkt)) inspectPdu(pdu);
 */
export class TcpReassembler {
  readonly stats: StreamStats = {
    segments: 0,
    bytes: 0,
    retransmits: 0,
    overlaps: 0,
    outOfOrder: 0,
    gaps: 0,
    pdus: 0,
    midstream: 0,
    fastOpen: 0,
    memcapFlushes: 0,
    pawsRejects: 0,
    badResets: 0,
    restarts: 0,
  };
  private readonly policy: StreamOverlapPolicy;
  private readonly maxPdu: number;
  private readonly maxQueued: number;
  private readonly maxOverlaps: number;
  private readonly midstream: boolean;
  private readonly maxTotal: number;
  private readonly maxWindow: number;
  private readonly smallCount: number;
  private readonly smallSize: number;
  /** Bytes pending or queued in every flow. */
  private held = 0;
  /** PDUs completed by the packet being processed (no closure per packet on the hot path). */
  private out: ReassembledPdu[] | undefined = undefined;
  /** The last PDU packet, kept for flushes triggered without a packet. */
  private lastPacket: Packet | undefined;
  /** Options of the packet being processed (read only when present): timestamp value, window scale. */
  private optTs = 0;
  private optHasTs = false;
  private optWscale = -1;
  /** Sequence number just past the bytes the current packet added (see holdsDataOf). */
  private acceptedEnd = 0;
  private acceptedPkt: Packet | undefined = undefined;
  private acceptedSide: Side | undefined = undefined;
  /** The slab small pending buffers are cut from, and how much of it is used. */
  private slab: ArrayBuffer = new ArrayBuffer(0);
  private slabUsed = 0;
  /** Outgrown pending buffers by size (see SPARE_PER_SIZE); nothing else refers to them. */
  private readonly spare = new Map<number, Uint8Array[]>();
  /**
   * Streams whose `lastPacket` is still a view into `viewBuffer` (the capture chunk being read). They
   * are detached together when packets start coming from another buffer, not one copy per data segment.
   */
  private viewHolders: StreamState[] = [];
  private viewBuffer: ArrayBufferLike | undefined = undefined;

  constructor(options: TcpReassemblerOptions = {}) {
    this.policy = options.policy ?? 'first';
    this.maxPdu = Math.max(1, options.maxPdu ?? 65_535);
    this.maxQueued = options.maxQueuedBytes ?? 1 << 20;
    this.maxOverlaps = options.maxOverlaps ?? 10;
    this.midstream = options.midstream ?? true;
    this.maxTotal = options.maxTotalBytes ?? 128 << 20;
    this.maxWindow = options.maxWindow ?? 0;
    this.smallCount = options.smallSegments?.count ?? 0;
    this.smallSize = options.smallSegments?.maximumSize ?? 0;
  }

  /**
   * True when bytes of `pkt` (the last packet processed) are still buffered, not yet in a PDU: detection
   * has not seen them in their stream context yet (the IPS pipeline holds such a packet back until it has).
   */
  holdsDataOf(pkt: Packet): boolean {
    const side = this.acceptedSide;
    return this.acceptedPkt === pkt && side !== undefined && diff(this.acceptedEnd, side.pendingSeq) > 0;
  }

  /**
   * Takes one TCP packet (with its flow set) and returns the PDUs it completed, in order.
   * Stream anomalies are added to `pkt.events` (gid 129).
   */
  process(pkt: Packet): readonly ReassembledPdu[] {
    this.acceptedPkt = undefined;
    const buffer = pkt.raw.data.buffer;
    if (buffer !== this.viewBuffer) this.detachViews(buffer);
    const out = this.processInner(pkt);
    const st = (pkt.flow as Flow | undefined)?.streamState as StreamState | undefined;
    if (st !== undefined && st.lastPacket === pkt) {
      // The packet's bytes are a view into the capture reader's chunk: keeping it on a long-lived flow
      // would keep that whole chunk alive. It is only needed to flush held data later (timeout, prune),
      // so a flow holding nothing keeps no packet, and one holding data keeps the packet while its
      // chunk is being read anyway, and a detached copy once packets come from another chunk.
      const holds = st.client.pendingLen + st.client.oooBytes + st.server.pendingLen + st.server.oooBytes > 0;
      if (!holds) {
        st.lastPacket = undefined;
      } else if (!st.lastIsView) {
        st.lastIsView = true;
        // Input that stays in one buffer (a capture parsed from memory) would otherwise list every stream.
        if (this.viewHolders.push(st) > MAX_VIEW_HOLDERS) this.detachViews(buffer);
      }
    }
    return out;
  }

  /** Detaches the last packets that are views into the previous buffer; `buffer` is the new one. */
  private detachViews(buffer: ArrayBufferLike): void {
    const list = this.viewHolders;
    for (let i = 0; i < list.length; i++) {
      const st = list[i];
      if (st.lastIsView && st.lastPacket !== undefined) st.lastPacket = detachPacket(st.lastPacket);
      st.lastIsView = false;
    }
    list.length = 0;
    this.viewBuffer = buffer;
  }

  /** Reads the timestamp and window scale options of the current packet (only when it has them). */
  private readOptions(pkt: Packet, syn: boolean): void {
    this.optHasTs = false;
    this.optWscale = -1;
    const kinds = pkt.tcp!.options;
    if (kinds.length === 0) return;
    const wantTs = kinds.includes(OPT_TIMESTAMP);
    const wantWs = syn && kinds.includes(OPT_WSCALE);
    if (!wantTs && !wantWs) return;
    const at = tcpHeaderAt(pkt);
    if (at < 0) return;
    const d = pkt.raw.data;
    const end = Math.min(d.length, at + pkt.tcp!.headerLen);
    for (let i = at + 20; i < end; ) {
      const kind = d[i];
      if (kind === 0) break;
      if (kind === 1) {
        i++;
        continue;
      }
      if (i + 1 >= end) break;
      const len = d[i + 1];
      if (len < 2 || i + len > end) break;
      if (kind === OPT_TIMESTAMP && len === 10) {
        this.optHasTs = true;
        this.optTs = ((d[i + 2] << 24) | (d[i + 3] << 16) | (d[i + 4] << 8) | d[i + 5]) >>> 0;
      } else if (kind === OPT_WSCALE && len === 3) {
        // RFC 7323 2.3: shifts above 14 are taken as 14.
        this.optWscale = Math.min(d[i + 2], 14);
      }
      i += len;
    }
  }

  private processInner(pkt: Packet): readonly ReassembledPdu[] {
    const tcp = pkt.tcp;
    const flow = pkt.flow as Flow | undefined;
    if (tcp === undefined || flow === undefined || pkt.direction === 'unknown') return NO_PDUS;
    this.lastPacket = pkt;
    let st = flow.streamState as StreamState | undefined;
    if (st === undefined) {
      st = new StreamState();
      flow.streamState = st;
    }
    // A view of the current buffer (process() decides whether it is kept); still listed in viewHolders
    // when the previous packet was one, which is harmless.
    st.lastPacket = pkt;
    const fromClient = pkt.direction === 'client';
    st.seen |= fromClient ? 1 : 2;
    const me = fromClient ? st.client : st.server;
    const peer = fromClient ? st.server : st.client;
    const dir = pkt.direction;
    const peerDir = fromClient ? 'server' : 'client';
    const flags = tcp.flags;
    const data = pkt.payload;
    this.out = undefined;
    const before = me.pendingLen + me.oooBytes + peer.pendingLen + peer.oooBytes;
    const syn = (flags & F_SYN) !== 0;
    const rst = (flags & F_RST) !== 0;
    // Whether a SYN carries another ISN than this side's, worked out for every SYN (see raiseIf).
    const newIsn = syn && (me.synSeen ? tcp.seq !== me.iss : diff(tcp.seq + 1, me.next) !== 0 && diff(tcp.seq, me.next) !== 0);
    if (me.started && flow.established && newIsn) {
      // A SYN with a new ISN on an established session (129:1; a retransmission of the side's own SYN is
      // not one). A BSD stack (Snort's default policy) resets the session, and the SYN starts a new one on
      // the same addresses and ports (Snort restarts the session): what is held is flushed and reassembly
      // starts again from this SYN.
      pkt.events.push(STREAM.SYN_ON_EST);
      const flushed = this.flushFlow(flow, pkt);
      const fresh = new StreamState();
      fresh.seen = st.seen;
      flow.streamState = fresh;
      this.stats.restarts++;
      const rest = this.processInner(pkt);
      return flushed.length === 0 ? rest : [...flushed, ...rest];
    }
    // Options are read only when a check needs them: SYNs, and sessions that use timestamps.
    if (syn || me.ts || peer.ts || !me.started) this.readOptions(pkt, syn);
    else this.optHasTs = false;

    if (!syn && !rst && !me.ts && this.optHasTs && me.started) {
      // A side whose SYN carried no timestamp (or was not seen) starts using them: from now on it is
      // checked too (Snort). A zero timestamp towards a receiver that uses them is refused (bsd policy).
      if (this.optTs === 0 && peer.ts) {
        pkt.events.push(STREAM.BAD_TIMESTAMP);
        this.stats.pawsRejects++;
        return this.done(flow, me, dir, peer, before, pkt);
      }
      me.ts = true;
      me.tsLast = this.optTs;
      me.tsLastSec = pkt.raw.tsSec;
    }
    // PAWS (RFC 7323 5), once both sides use timestamps, on every segment but SYNs and RSTs (as Snort):
    // a timestamp older than the sender's last accepted one marks an old duplicate or a forged segment.
    // Such a segment is ignored (129:4); a segment without a timestamp is only flagged (129:14).
    if (!syn && !rst && me.ts && peer.ts && me.started) {
      if (!this.optHasTs) pkt.events.push(STREAM.NO_TIMESTAMP);
      else if (((this.optTs - me.tsLast) | 0) < 0 || (me.tsLast !== 0 && pkt.raw.tsSec > me.tsLastSec + PAWS_24DAYS)) {
        pkt.events.push(STREAM.BAD_TIMESTAMP);
        this.stats.pawsRejects++;
        return this.done(flow, me, dir, peer, before, pkt);
      }
    }

    if (flags & F_ACK && peer.started) {
      const ack = tcp.ack;
      // The peer's data that this packet acknowledges past a hole was lost in the capture.
      this.skipAckedGap(peer, ack, flow, peerDir, pkt);
      // Acknowledged data is complete as far as the receiver is concerned: flush it (Snort's flush on
      // ACK), once it is two segments and ACK_FLUSH_MIN bytes. Only an ACK covering everything pending
      // flushes, so a PDU never ends inside what the sender wrote back to back (fewer patterns cut).
      if (peer.pendingSegs >= 2 && peer.pendingLen >= ACK_FLUSH_MIN && diff(ack, peer.next) >= 0) this.emit(flow, peer, peerDir, pkt);
      const pf = peer.finSeq;
      if (pf !== undefined && me.finSeq === undefined && !(flags & F_FIN)) {
        // Once the peer's FIN is acknowledged nothing more can be: an ACK past it is bogus (Snort, FIN_WAIT_2).
        const past = diff(ack, (pf + 1) >>> 0);
        if (peer.finAcked && past > 0) pkt.events.push(STREAM.BAD_ACK);
        else if (past === 0) peer.finAcked = true;
      }
      if (!me.ackSeen || diff(ack, me.ack) >= 0) {
        me.ackSeen = true;
        me.ack = ack;
        // The window of a SYN is never scaled (RFC 7323 2.2); scaling needs both SYNs to offer it.
        me.wnd = !syn && me.wscale >= 0 && peer.wscale >= 0 ? tcp.window * 2 ** me.wscale : tcp.window;
      }
    }
    this.checkWindow(pkt, st, fromClient, syn, rst);

    if (rst) {
      raiseIf(pkt, data.length > 0, STREAM.DATA_AFTER_RST_RCVD);
      // A RST the receiver would not accept (Snort's bsd policy) does not end the session.
      const accepted = this.resetInWindow(tcp.seq, data.length, peer, st);
      raiseIf(pkt, !accepted, STREAM.BAD_RST);
      this.stats.badResets += accepted ? 0 : 1;
      if (accepted) {
        me.rstSent = true;
        this.emit(flow, peer, peerDir, pkt);
        this.emit(flow, me, dir, pkt);
      }
      return this.done(flow, me, dir, peer, before, pkt);
    }

    let seq = tcp.seq;
    if (syn) {
      if (!me.started || (diff(seq + 1, me.next) !== 0 && me.received === 0 && !flow.established)) {
        // First SYN of this side, or a new ISN during the handshake before any data.
        me.started = true;
        me.synSeen = true;
        me.iss = seq;
        me.next = (seq + 1) >>> 0;
        me.pendingSeq = me.next;
        me.wscale = this.optWscale;
        me.ts = this.optHasTs;
        me.tsLast = this.optHasTs ? this.optTs : 0;
        me.tsLastSec = pkt.raw.tsSec;
        // The server answering a SYN with a SYN of its own: a split (4-way) handshake.
        if (!fromClient && !(flags & F_ACK) && peer.synSeen) pkt.events.push(STREAM.FOUR_WAY_HANDSHAKE);
      }
      seq = (seq + 1) >>> 0;
      // Data on a SYN is Fast Open when the SYN carries its cookie option (kind 34), else 129:2.
      const cookie = tcp.options.includes(34);
      this.stats.fastOpen += data.length > 0 && cookie ? 1 : 0;
      raiseIf(pkt, data.length > 0 && !cookie, STREAM.DATA_ON_SYN);
    } else if (!me.started) {
      if (!this.midstream) {
        // Snort's require_3whs: a session whose handshake was not seen is not tracked (129:20 once it
        // has traffic both ways).
        if (st.seen === 3 && !st.no3whsRaised) {
          st.no3whsRaised = true;
          pkt.events.push(STREAM.NO_3WHS);
        }
        return this.done(flow, me, dir, peer, before, pkt);
      }
      me.started = true;
      me.next = seq;
      me.pendingSeq = seq;
      // A side picked up midstream is taken to use timestamps when its first packet has one.
      me.ts = this.optHasTs;
      me.tsLast = this.optHasTs ? this.optTs : 0;
      me.tsLastSec = pkt.raw.tsSec;
      this.stats.midstream++;
    }

    if (data.length > 0) {
      raiseIf(pkt, flags === 0, STREAM.DATA_WITHOUT_FLAGS);
      if (this.smallCount > 0) {
        if (data.length >= this.smallSize) me.smallRun = 0;
        else if (++me.smallRun === this.smallCount) pkt.events.push(STREAM.SMALL_SEGMENT);
      }
      // The peer's message is complete once this side talks.
      this.emit(flow, peer, peerDir, pkt);
      // Computed on every data segment (see raiseIf): most sessions never send data past their FIN.
      const finGap = diff(seq + data.length, me.finSeq ?? 0);
      const pastFin = me.finSeq !== undefined && finGap > 0;
      raiseIf(pkt, me.rstSent, STREAM.DATA_AFTER_RESET);
      raiseIf(pkt, !me.rstSent && pastFin, STREAM.DATA_ON_CLOSED);
      if (!me.rstSent && !pastFin) {
        this.stats.segments++;
        this.stats.bytes += data.length;
        me.received += data.length;
        this.insert(me, seq, data, pkt);
        this.acceptedPkt = pkt;
        me.pendingSegs++;
        this.acceptedSide = me;
        this.acceptedEnd = (seq + data.length) >>> 0;
        if (me.oooBytes > this.maxQueued) this.skipGap(me, flow, dir, pkt);
        this.emitIf(me.pendingLen >= this.maxPdu, flow, me, dir, pkt);
      }
    }

    if (flags & F_FIN) {
      const finSeq = (seq + data.length) >>> 0;
      if (me.finSeq === undefined) me.finSeq = finSeq;
      // A second FIN past the first one's sequence space (Snort: FIN beyond the prior FIN's end).
      else if (diff(seq, me.finSeq + 1) > 0) pkt.events.push(STREAM.BAD_FIN);
      // The FIN takes one sequence number once everything before it is in.
      if (diff(me.next, finSeq) === 0) me.next = (me.next + 1) >>> 0;
      this.emit(flow, peer, peerDir, pkt);
      this.emit(flow, me, dir, pkt);
    }

    // PAWS bookkeeping: a segment at the left edge of the receiver's window updates TS.Recent.
    if (this.optHasTs && me.ts && peer.ackSeen && diff(tcp.seq, peer.ack) === 0) {
      if (((this.optTs - me.tsLast) | 0) >= 0 || pkt.raw.tsSec >= me.tsLastSec + PAWS_24DAYS) {
        me.tsLast = this.optTs;
        me.tsLastSec = pkt.raw.tsSec;
      }
    }
    return this.done(flow, me, dir, peer, before, pkt);
  }

  /** Window checks on the sender's advertised window: 129:6 (over maxWindow) and 129:19 (window slam). */
  private checkWindow(pkt: Packet, st: StreamState, fromClient: boolean, syn: boolean, rst: boolean): void {
    const tcp = pkt.tcp!;
    const me = fromClient ? st.client : st.server;
    const server = st.server;
    const wnd = !syn && st.client.wscale >= 0 && server.wscale >= 0 ? tcp.window * 2 ** me.wscale : tcp.window;
    raiseIf(pkt, this.maxWindow > 0 && wnd > this.maxWindow, STREAM.WINDOW_TOO_LARGE);
    // A client that closes its window while acknowledging only the server's SYN (no data received):
    // the server may not send anything. Not judged on sessions picked up midstream (Snort's rule).
    // The cheap, seldom true window test comes last so the terms before it run on most packets (raiseIf).
    raiseIf(
      pkt,
      fromClient &&
        !syn &&
        !rst &&
        !(tcp.flags & F_FIN) &&
        (tcp.flags & F_ACK) !== 0 &&
        me.synSeen &&
        server.synSeen &&
        tcp.ack === ((server.iss + 1) >>> 0) &&
        wnd <= SLAM_MAX,
      STREAM.WINDOW_SLAM,
    );
  }

  /**
   * Whether a RST falls in the receiver's window (Snort's bsd policy: its end is not before the
   * receiver's last acknowledgment, its start not past that plus the receiver's window). A receiver
   * that never acknowledged anything accepts any RST; on a session picked up midstream the window is
   * not known, so only the left edge is checked.
   */
  private resetInWindow(seq: number, len: number, receiver: Side, st: StreamState): boolean {
    if (!receiver.ackSeen) return true;
    const end = (seq + len) >>> 0;
    if (diff(end, receiver.ack) < 0) return false;
    const midstream = !st.client.synSeen || !st.server.synSeen;
    if (midstream) return true;
    return diff(seq, (receiver.ack + receiver.wnd) >>> 0) <= 0;
  }

  /** Bytes held by the reassembler across all flows. */
  get heldBytes(): number {
    return this.held;
  }

  /** Accounts the bytes this packet added or flushed, and sheds load past maxTotalBytes. */
  private done(flow: FlowState, me: Side, dir: 'client' | 'server', peer: Side, before: number, pkt: Packet): readonly ReassembledPdu[] {
    this.held += me.pendingLen + me.oooBytes + peer.pendingLen + peer.oooBytes - before;
    if (this.held > this.maxTotal) {
      const was = me.pendingLen + me.oooBytes;
      this.stats.memcapFlushes++;
      for (;;) {
        this.emit(flow, me, dir, pkt);
        if (me.ooo.length === 0) break;
        this.jumpToFirstQueued(me);
      }
      this.held -= was;
    }
    return this.out ?? NO_PDUS;
  }

  /** Flushes a side into the PDUs of the current call. */
  private emit(flow: FlowState, side: Side, d: 'client' | 'server', pkt: Packet): void {
    const pdu = this.flushSide(flow, side, d, pkt);
    if (pdu !== undefined) (this.out ??= []).push(pdu);
  }

  /** `emit` when `when` holds; called on every packet that reaches the check (see raiseIf). */
  private emitIf(when: boolean, flow: FlowState, side: Side, d: 'client' | 'server', pkt: Packet): void {
    if (when) this.emit(flow, side, d, pkt);
  }

  /** Flushes whatever both directions of a flow still hold (flow end: timeout, close, end of input). */
  flushFlow(flow: FlowState, packet?: Packet): ReassembledPdu[] {
    const st = (flow as Flow).streamState as StreamState | undefined;
    const pkt = packet ?? st?.lastPacket ?? this.lastPacket;
    if (st === undefined || pkt === undefined) return [];
    const out: ReassembledPdu[] = [];
    this.held -= st.client.pendingLen + st.client.oooBytes + st.server.pendingLen + st.server.oooBytes;
    for (const [side, d] of [
      [st.client, 'client'],
      [st.server, 'server'],
    ] as const) {
      // Whatever waits behind a hole is delivered too, after its own gap.
      for (;;) {
        const pdu = this.flushSide(flow, side, d, pkt);
        if (pdu !== undefined) out.push(pdu);
        if (side.ooo.length === 0) break;
        this.jumpToFirstQueued(side);
      }
    }
    return out;
  }

  private flushSide(flow: FlowState, side: Side, direction: 'client' | 'server', pkt: Packet): ReassembledPdu | undefined {
    if (side.pendingLen === 0) return undefined;
    const data = side.pending.subarray(0, side.pendingLen);
    const pdu: ReassembledPdu = { flow, direction, data, seq: side.pendingSeq, packet: pkt };
    // Hand the buffer to the PDU and start a new one.
    side.pending = EMPTY;
    side.pendingLen = 0;
    side.pendingSeq = side.next;
    side.pendingSegs = 0;
    this.stats.pdus++;
    return pdu;
  }

  private append(side: Side, bytes: Uint8Array): void {
    const need = side.pendingLen + bytes.length;
    if (need > side.pending.length) {
      // Doubling, but not past maxPdu while the data fits in it (it is flushed there): no 128 KiB buffer
      // for a 64 KiB PDU. Past it (a drained out-of-order queue) doubling goes on, so copies stay linear.
      const grown = side.pending.length * 2;
      const nb = this.allocate(Math.max(need, need <= this.maxPdu ? Math.min(grown, this.maxPdu) : grown, 1024));
      const old = side.pending;
      if (side.pendingLen > 0) nb.set(old.subarray(0, side.pendingLen), 0);
      side.pending = nb;
      // Never handed out (a PDU takes the buffer it ends in), so the next pending data may reuse it.
      this.recycle(old);
    }
    side.pending.set(bytes, side.pendingLen);
    side.pendingLen = need;
    side.next = (side.next + bytes.length) >>> 0;
  }

  /**
   * A buffer of at least `n` bytes for pending data (only its first bytes, as they are written, are ever
   * read): small ones are cut from the current slab (see SLAB_SIZE), larger ones rounded up to a power of
   * two (at most maxPdu) and taken from the spare ones when there is one (see SPARE_PER_SIZE).
   */
  private allocate(n: number): Uint8Array {
    if (n > SLAB_MAX) {
      if (n > this.maxPdu) return new Uint8Array(n);
      const size = Math.min(2 ** (32 - Math.clz32(n - 1)), this.maxPdu);
      return this.spare.get(size)?.pop() ?? new Uint8Array(size);
    }
    if (this.slabUsed + n > this.slab.byteLength) {
      this.slab = new ArrayBuffer(SLAB_SIZE);
      this.slabUsed = 0;
    }
    const b = new Uint8Array(this.slab, this.slabUsed, n);
    // 8-byte steps, as separate allocations would be aligned.
    this.slabUsed += (n + 7) & ~7;
    return b;
  }

  /** Keeps an outgrown pending buffer of a size `allocate` hands out, up to SPARE_PER_SIZE of each. */
  private recycle(b: Uint8Array): void {
    const size = b.length;
    if (size <= SLAB_MAX || size > this.maxPdu || b.byteOffset !== 0 || b.buffer.byteLength !== size) return;
    let list = this.spare.get(size);
    if (list === undefined) this.spare.set(size, (list = []));
    if (list.length < SPARE_PER_SIZE) list.push(b);
  }

  private countOverlap(side: Side, pkt: Packet): void {
    this.stats.overlaps++;
    side.overlaps++;
    if (side.overlaps > this.maxOverlaps && !side.overlapEventRaised) {
      side.overlapEventRaised = true;
      pkt.events.push(STREAM.EXCESSIVE_OVERLAP);
    }
  }

  private insert(side: Side, seq: number, data: Uint8Array, pkt: Packet): void {
    // 1. The part before `next` was already received: a retransmission, or an overlap if it differs.
    const rel = diff(seq, side.next);
    if (rel < 0) {
      const oldLen = Math.min(-rel, data.length);
      // Compare with what is still pending (flushed bytes cannot be compared any more).
      const pendStart = diff(seq, side.pendingSeq);
      let differs = false;
      for (let i = 0; i < oldLen; i++) {
        const at = pendStart + i;
        if (at < 0) continue;
        if (side.pending[at] !== data[i]) {
          differs = true;
          if (this.policy === 'last') side.pending[at] = data[i];
          else break;
        }
      }
      if (differs) this.countOverlap(side, pkt);
      else this.stats.retransmits++;
      if (oldLen >= data.length) return;
      data = data.subarray(oldLen);
      seq = side.next;
    }
    if (side.ooo.length === 0 && diff(seq, side.next) === 0) this.append(side, data); // the common case: in order, nothing queued
    else this.merge(side, seq, data, pkt);
  }

  /**
   * Merges a segment with the queued out-of-order ones. Kept out of `insert` (which processInner calls
   * for every data segment) so that the first reordered segment of a capture deoptimises and recompiles
   * this function only, not the per-segment path.
   */
  private merge(side: Side, seq: number, data: Uint8Array, pkt: Packet): void {
    const end = (seq + data.length) >>> 0;
    const queue = side.ooo;
    if (diff(seq, side.next) > 0) this.stats.outOfOrder++;
    let overlapped = false;
    let differs = false;
    if (this.policy === 'first') {
      // Existing queued bytes win: insert only the uncovered pieces of the new data.
      let cur = seq;
      const pieces: Segment[] = [];
      for (const q of queue) {
        const qEnd = (q.seq + q.data.length) >>> 0;
        if (diff(qEnd, cur) <= 0) continue;
        if (diff(q.seq, end) >= 0) break;
        if (diff(q.seq, cur) > 0) pieces.push({ seq: cur, data: data.subarray(diff(cur, seq), diff(q.seq, seq)) });
        overlapped = true;
        const from = diff(q.seq, cur) > 0 ? q.seq : cur;
        const to = diff(qEnd, end) < 0 ? qEnd : end;
        for (let s = from; diff(to, s) > 0; s = (s + 1) >>> 0) {
          if (q.data[diff(s, q.seq)] !== data[diff(s, seq)]) {
            differs = true;
            break;
          }
        }
        cur = qEnd;
      }
      if (diff(end, cur) > 0) pieces.push({ seq: cur, data: data.subarray(diff(cur, seq)) });
      for (const p of pieces) this.enqueue(side, { seq: p.seq, data: Uint8Array.from(p.data) });
    } else {
      // New bytes win: cut queued segments around the new one.
      const kept = segmentList();
      for (const q of queue) {
        const qEnd = (q.seq + q.data.length) >>> 0;
        if (diff(qEnd, seq) <= 0 || diff(q.seq, end) >= 0) {
          kept.push(q);
          continue;
        }
        overlapped = true;
        const from = diff(q.seq, seq) > 0 ? q.seq : seq;
        const to = diff(qEnd, end) < 0 ? qEnd : end;
        for (let s = from; !differs && diff(to, s) > 0; s = (s + 1) >>> 0) {
          if (q.data[diff(s, q.seq)] !== data[diff(s, seq)]) differs = true;
        }
        if (diff(q.seq, seq) < 0) kept.push({ seq: q.seq, data: q.data.subarray(0, diff(seq, q.seq)) });
        if (diff(qEnd, end) > 0) kept.push({ seq: end, data: q.data.subarray(diff(end, q.seq)) });
      }
      side.ooo = kept;
      side.oooBytes = kept.reduce((n, k) => n + k.data.length, 0);
      this.enqueue(side, { seq, data: Uint8Array.from(data) });
    }
    if (overlapped) {
      if (differs) this.countOverlap(side, pkt);
      else this.stats.retransmits++;
    }
    this.drain(side);
  }

  private enqueue(side: Side, seg: Segment): void {
    if (seg.data.length === 0) return;
    const q = side.ooo;
    let i = q.length;
    while (i > 0 && diff(q[i - 1].seq, seg.seq) > 0) i--;
    q.splice(i, 0, seg);
    side.oooBytes += seg.data.length;
  }

  /** Moves queued segments that became in order into the pending data. */
  private drain(side: Side): void {
    const q = side.ooo;
    while (q.length > 0) {
      const head = q[0];
      const rel = diff(head.seq, side.next);
      if (rel > 0) break;
      q.shift();
      side.oooBytes -= head.data.length;
      const skip = -rel;
      if (skip < head.data.length) this.append(side, head.data.subarray(skip));
    }
  }

  private jumpToFirstQueued(side: Side): void {
    if (side.ooo.length === 0) return;
    side.next = side.ooo[0].seq;
    side.pendingSeq = side.next;
    this.stats.gaps++;
    this.drain(side);
  }

  /** Too much data waits behind a hole: flush what is before it and continue after it. */
  private skipGap(side: Side, flow: FlowState, dir: 'client' | 'server', pkt: Packet): void {
    this.emit(flow, side, dir, pkt);
    this.jumpToFirstQueued(side);
  }

  private skipAckedGap(
    side: Side,
    ack: number,
    flow: FlowState,
    dir: 'client' | 'server',
    pkt: Packet,
  ): void {
    const ahead = diff(ack, side.next);
    if (ahead > 0 && ahead <= MAX_ACK_GAP) this.skipGapTo(side, ack, ahead, flow, dir, pkt);
  }

  /**
   * The peer acknowledged data past a hole. Apart from skipAckedGap (which processInner calls for every
   * ACK) because capture losses are rare: TurboFan does not inline it, so its own first-time branches
   * (a FIN at the hole, queued segments behind it) recompile this function only.
   */
  private skipGapTo(side: Side, ack: number, ahead: number, flow: FlowState, dir: 'client' | 'server', pkt: Packet): void {
    // An ACK of the FIN's sequence number is not a hole.
    if (side.finSeq !== undefined && diff(ack, side.finSeq) <= 1 && diff(side.next, side.finSeq) >= 0) return;
    if (side.finSeq !== undefined && ahead === 1 && diff(side.next, side.finSeq) === 0) return;
    this.emit(flow, side, dir, pkt);
    if (side.ooo.length > 0 && diff(ack, side.ooo[0].seq) >= 0) {
      this.jumpToFirstQueued(side);
    } else if (side.ooo.length === 0) {
      side.next = ack;
      side.pendingSeq = ack;
      this.stats.gaps++;
    }
  }
}
