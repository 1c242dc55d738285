import type { FlowState, Packet, PacketDirection } from '../types.js';

// Local copies of the LINKTYPE / IPPROTO / TCP_FLAG values from types.ts: on the hot path a plain
// const is inlined by V8, a property of an imported object is a load per use (measured with --cpu-prof).
const P_ICMP = 1;
const P_TCP = 6;
const P_UDP = 17;
const P_ICMPV6 = 58;
const F_FIN = 0x01;
const F_SYN = 0x02;
const F_RST = 0x04;
const F_ACK = 0x10;

/**
 * The flow table: one Flow per conversation, keyed by the 5-tuple in a direction-free order, with
 * per-protocol idle timeouts (capture time), a cap on the number of flows (the least recently used
 * flow is pruned and counted) and the client/server roles Snort's `flow:` option tests.
 *
 * Roles: the client is the side that sent the first packet, except when that packet is a SYN+ACK
 * (the handshake was missed: its receiver is the client). `pkt.direction` is 'client' for a packet the
 * client sent (Snort's to_server / from_client) and 'server' for one the server sent.
 *
 * `established` follows Snort: TCP after the three-way handshake (including simultaneous open and
 * split handshakes: each side's SYN seen and acknowledged), or at once for a session picked up in
 * the middle when `midstream` is on (Snort's default, require_3whs off); UDP and other IP protocols
 * once traffic went both ways.
 */

export interface FlowTableOptions {
  /** Idle timeouts in seconds of capture time (Snort 3 defaults: tcp 180, udp 30, icmp 30, ip 30). */
  readonly tcpTimeoutSec?: number;
  readonly udpTimeoutSec?: number;
  readonly icmpTimeoutSec?: number;
  readonly ipTimeoutSec?: number;
  /** Seconds a TCP flow stays after RST or both FINs (default 5). */
  readonly closedTimeoutSec?: number;
  /** Flows tracked at most; the least recently used is pruned beyond it (default 262,144). */
  readonly maxFlows?: number;
  /** Treat TCP sessions first seen without a SYN as established (default true). */
  readonly midstream?: boolean;
  /** Called when a flow leaves the table (timeout, prune, close), e.g. to flush its stream. */
  readonly onEnd?: (flow: Flow, reason: FlowEndReason) => void;
}

export type FlowEndReason = 'timeout' | 'pruned' | 'closed' | 'reused';

/** Flow table counters (shown in the final statistics). */
export interface FlowStats {
  created: number;
  timedOut: number;
  pruned: number;
  closed: number;
  /** The most flows held at once. */
  peak: number;
}

const enum Tcp {
  None = 0,
  SynSeen = 1,
  Established = 2,
}

let nextFlowId = 1;

/** One conversation. Implements the FlowState that rule options read. */
export class Flow implements FlowState {
  readonly id: number;
  readonly proto: number;
  established = false;
  readonly bits = new Set<string>();
  clientBytes = 0;
  serverBytes = 0;
  clientPackets = 0;
  serverPackets = 0;
  service: string | undefined = undefined;
  /** Client address (IPv4 as a number, IPv6 as hex) and port: who sent the first packet. */
  readonly clientAddr: string | number;
  readonly clientPort: number;
  readonly firstSeen: number;
  lastSeen: number;
  /** Set when the flow saw a RST or FINs from both sides; it leaves the table soon after. */
  closed = false;
  /** TCP handshake progress per side (client, server). */
  tcpClient: Tcp = Tcp.None;
  tcpServer: Tcp = Tcp.None;
  finClient = false;
  finServer = false;
  /** Later stages (stream, inspectors) keep their per-flow state here. */
  streamState: unknown = undefined;
  inspectState: unknown = undefined;
  /** SSL/TLS state (inspect/tls-flow.ts); declared here so every Flow keeps one shape. */
  tls: unknown = undefined;
  /** Server endpoint. */
  readonly serverAddr: string | number;
  readonly serverPort: number;
  /** Hash bucket chain and least-recently-used list links (owned by the FlowTable). */
  hash = 0;
  nextInBucket: Flow | undefined = undefined;
  older: Flow | undefined = undefined;
  newer: Flow | undefined = undefined;
  lru: LruList | undefined = undefined;
  /** The first packet came from the server (a SYN+ACK first): the key names its sender first. */
  private readonly reversed: boolean;

  constructor(proto: number, clientAddr: string | number, clientPort: number, serverAddr: string | number, serverPort: number, now: number, reversed = false) {
    this.id = nextFlowId++;
    this.reversed = reversed;
    this.proto = proto;
    this.clientAddr = clientAddr;
    this.clientPort = clientPort;
    this.serverAddr = serverAddr;
    this.serverPort = serverPort;
    this.firstSeen = now;
    this.lastSeen = now;
  }

  /**
   * `proto|src|sport|dst|dport` of the flow's first packet (tests, tools). Built when asked: a string
   * per new flow was a noticeable part of the table's cost.
   */
  get key(): string {
    return this.reversed
      ? `${this.proto}|${this.serverAddr}|${this.serverPort}|${this.clientAddr}|${this.clientPort}`
      : `${this.proto}|${this.clientAddr}|${this.clientPort}|${this.serverAddr}|${this.serverPort}`;
  }

  /** True when the flow is the conversation between these endpoints (either direction). */
  matches(proto: number, a: string | number, ap: number, b: string | number, bp: number): boolean {
    return (
      this.proto === proto &&
      ((this.clientAddr === a && this.clientPort === ap && this.serverAddr === b && this.serverPort === bp) ||
        (this.clientAddr === b && this.clientPort === bp && this.serverAddr === a && this.serverPort === ap))
    );
  }
}

/**
 * Flows that share one idle timeout, least recently used first. One list per timeout class (tcp,
 * udp, icmp, other IP, closed) keeps each list ordered by expiry too, so expiring is exact and costs
 * only the flows it removes.
 */
class LruList {
  oldest: Flow | undefined = undefined;
  newest: Flow | undefined = undefined;
  constructor(readonly timeout: number) {}
}

/** A direction-free hash of the 5-tuple (IPv6 addresses hashed from their hex form). */
function tupleHash(proto: number, a: string | number, ap: number, b: string | number, bp: number): number {
  const ha = typeof a === 'number' ? a : strHash(a);
  const hb = typeof b === 'number' ? b : strHash(b);
  // Symmetric: combine each endpoint, then add them, so both directions hash alike.
  const ea = Math.imul(ha ^ Math.imul(ap, 0x9e3779b1), 0x85ebca6b);
  const eb = Math.imul(hb ^ Math.imul(bp, 0x9e3779b1), 0x85ebca6b);
  let h = (ea + eb + proto) | 0;
  h ^= h >>> 15;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 13)) | 0;
}

function strHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

function hex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return s;
}

/**
 * Tracks flows and sets `pkt.flow` and `pkt.direction`.
 *
 * @example
 * const flows = new FlowTable({ maxFlows: 100_000 });
 * const flow = flows.process(pkt); // pkt.flow === flow, pkt.direction === 'client' | 'server'
 */
export class FlowTable {
  readonly stats: FlowStats = { created: 0, timedOut: 0, pruned: 0, closed: 0, peak: 0 };
  /**
   * Hash buckets (a power of two, indexed by the low bits of the hash; doubled when flows outnumber
   * them): each holds a chain of flows through `nextInBucket`. An array index instead of a Map lookup.
   */
  private buckets: (Flow | undefined)[] = new Array<Flow | undefined>(1024).fill(undefined);
  private mask = 1023;
  private count = 0;
  private readonly tcpList: LruList;
  private readonly udpList: LruList;
  private readonly icmpList: LruList;
  private readonly ipList: LruList;
  private readonly closedList: LruList;
  private readonly lists: readonly LruList[];
  private readonly tcpTimeout: number;
  private readonly udpTimeout: number;
  private readonly icmpTimeout: number;
  private readonly ipTimeout: number;
  private readonly closedTimeout: number;
  private readonly maxFlows: number;
  private readonly midstream: boolean;
  private readonly onEnd: ((flow: Flow, reason: FlowEndReason) => void) | undefined;

  constructor(options: FlowTableOptions = {}) {
    this.tcpTimeout = options.tcpTimeoutSec ?? 180;
    this.udpTimeout = options.udpTimeoutSec ?? 30;
    this.icmpTimeout = options.icmpTimeoutSec ?? 30;
    this.ipTimeout = options.ipTimeoutSec ?? 30;
    this.closedTimeout = options.closedTimeoutSec ?? 5;
    this.tcpList = new LruList(this.tcpTimeout);
    this.udpList = new LruList(this.udpTimeout);
    this.icmpList = new LruList(this.icmpTimeout);
    this.ipList = new LruList(this.ipTimeout);
    this.closedList = new LruList(this.closedTimeout);
    this.lists = [this.tcpList, this.udpList, this.icmpList, this.ipList, this.closedList];
    this.maxFlows = Math.max(1, options.maxFlows ?? 262_144);
    this.midstream = options.midstream ?? true;
    this.onEnd = options.onEnd;
  }

  /** Flows currently held. */
  get size(): number {
    return this.count;
  }

  /** Looks a flow up by its key (tests, tools). */
  get(key: string): Flow | undefined {
    for (const list of this.lists) for (let f = list.oldest; f !== undefined; f = f.newer) if (f.key === key) return f;
    return undefined;
  }

  /**
   * Finds or creates the packet's flow, updates its state and sets `pkt.flow` / `pkt.direction`.
   * Packets without IP, and IP fragments (their reassembled datagram gets the flow), get no flow.
   */
  process(pkt: Packet): Flow | undefined {
    const ip = pkt.ip;
    if (ip === undefined || pkt.isFragment) return undefined;
    const now = pkt.raw.tsSec + pkt.raw.tsUsec / 1e6;
    this.expire(now);
    const proto = pkt.proto;
    const sp = pkt.srcPort;
    const dp = pkt.dstPort;
    let src: string | number;
    let dst: string | number;
    if (ip.version === 4) {
      src = ip.src;
      dst = ip.dst;
    } else {
      src = hex(ip.src);
      dst = hex(ip.dst);
    }
    const hash = tupleHash(proto, src, sp, dst, dp);
    let flow = this.buckets[hash & this.mask];
    while (flow !== undefined && !flow.matches(proto, src, sp, dst, dp)) flow = flow.nextInBucket;
    const tcp = pkt.tcp;
    if (flow !== undefined && flow.closed && tcp !== undefined && (tcp.flags & (F_SYN | F_ACK)) === F_SYN) {
      // A new connection on the same 5-tuple.
      this.remove(flow, 'reused');
      flow = undefined;
    }
    if (flow === undefined) {
      // A SYN+ACK first means we missed the SYN: the receiver is the client.
      const reversed = tcp !== undefined && (tcp.flags & (F_SYN | F_ACK)) === (F_SYN | F_ACK);
      flow = reversed ? new Flow(proto, dst, dp, src, sp, now, true) : new Flow(proto, src, sp, dst, dp, now);
      if (this.count >= this.maxFlows) this.pruneOldest();
      if (this.count >= this.buckets.length) this.growBuckets();
      flow.hash = hash;
      const b = hash & this.mask;
      flow.nextInBucket = this.buckets[b];
      this.buckets[b] = flow;
      this.count++;
      this.linkNewest(flow);
      this.stats.created++;
      if (this.count > this.stats.peak) this.stats.peak = this.count;
    }
    if (now > flow.lastSeen) flow.lastSeen = now;
    const fromClient = flow.clientAddr === src && flow.clientPort === sp;
    const dir: PacketDirection = fromClient ? 'client' : 'server';
    pkt.flow = flow;
    pkt.direction = dir;
    const n = pkt.payload.length;
    if (fromClient) {
      flow.clientBytes += n;
      flow.clientPackets++;
    } else {
      flow.serverBytes += n;
      flow.serverPackets++;
    }
    if (tcp !== undefined) this.trackTcp(flow, tcp.flags, fromClient);
    else if (!flow.established && flow.clientPackets > 0 && flow.serverPackets > 0) flow.established = true;
    // Most recently used now (and on the closed list once closed).
    const list = this.listFor(flow);
    if (flow.lru !== list || list.newest !== flow) {
      this.unlink(flow);
      this.linkNewest(flow);
    }
    return flow;
  }

  /** Twice the buckets, every chain split by the next hash bit (chain order kept). */
  private growBuckets(): void {
    const old = this.buckets;
    const size = old.length * 2;
    const next = new Array<Flow | undefined>(size).fill(undefined);
    const tails = new Array<Flow | undefined>(size).fill(undefined);
    for (let i = 0; i < old.length; i++) {
      for (let f = old[i]; f !== undefined; ) {
        const after = f.nextInBucket;
        const b = f.hash & (size - 1);
        f.nextInBucket = undefined;
        const tail = tails[b];
        if (tail === undefined) next[b] = f;
        else tail.nextInBucket = f;
        tails[b] = f;
        f = after;
      }
    }
    this.buckets = next;
    this.mask = size - 1;
  }

  private listFor(flow: Flow): LruList {
    if (flow.closed) return this.closedList;
    switch (flow.proto) {
      case P_TCP:
        return this.tcpList;
      case P_UDP:
        return this.udpList;
      case P_ICMP:
      case P_ICMPV6:
        return this.icmpList;
      default:
        return this.ipList;
    }
  }

  private linkNewest(flow: Flow): void {
    const list = this.listFor(flow);
    flow.lru = list;
    flow.older = list.newest;
    flow.newer = undefined;
    if (list.newest !== undefined) list.newest.newer = flow;
    else list.oldest = flow;
    list.newest = flow;
  }

  private unlink(flow: Flow): void {
    const list = flow.lru;
    if (list === undefined) return;
    if (flow.older !== undefined) flow.older.newer = flow.newer;
    else list.oldest = flow.newer;
    if (flow.newer !== undefined) flow.newer.older = flow.older;
    else list.newest = flow.older;
    flow.older = undefined;
    flow.newer = undefined;
    flow.lru = undefined;
  }

  private trackTcp(flow: Flow, flags: number, fromClient: boolean): void {
    const syn = (flags & F_SYN) !== 0;
    const ack = (flags & F_ACK) !== 0;
    if (flags & F_RST) {
      flow.closed = true;
      return;
    }
    if (syn) {
      if (fromClient && flow.tcpClient === Tcp.None) flow.tcpClient = Tcp.SynSeen;
      else if (!fromClient && flow.tcpServer === Tcp.None) flow.tcpServer = Tcp.SynSeen;
    }
    if (ack && !flow.established) {
      // An ACK acknowledges the other side's SYN.
      if (fromClient && flow.tcpServer === Tcp.SynSeen) flow.tcpServer = Tcp.Established;
      if (!fromClient && flow.tcpClient === Tcp.SynSeen) flow.tcpClient = Tcp.Established;
      if (flow.tcpClient === Tcp.Established && flow.tcpServer === Tcp.Established) flow.established = true;
      else if (this.midstream && flow.tcpClient === Tcp.None && flow.tcpServer === Tcp.None && !syn) flow.established = true;
    }
    if (flags & F_FIN) {
      if (fromClient) flow.finClient = true;
      else flow.finServer = true;
      if (flow.finClient && flow.finServer) flow.closed = true;
    }
  }

  /**
   * Removes every flow idle longer than its timeout at capture time `now`. Each timeout class is its
   * own least-recently-used list, so only the heads are looked at: the cost is the flows removed.
   */
  expire(now: number): void {
    // The lists one by one, not through `lists`: this runs for every packet.
    this.expireList(this.tcpList, now, 'timeout');
    this.expireList(this.udpList, now, 'timeout');
    this.expireList(this.icmpList, now, 'timeout');
    this.expireList(this.ipList, now, 'timeout');
    this.expireList(this.closedList, now, 'closed');
  }

  private expireList(list: LruList, now: number, reason: FlowEndReason): void {
    for (let f = list.oldest; f !== undefined && now - f.lastSeen > list.timeout; f = list.oldest) this.remove(f, reason);
  }

  /** Ends every flow (end of input), calling onEnd for each. */
  endAll(): void {
    for (const list of this.lists) while (list.oldest !== undefined) this.remove(list.oldest, 'closed');
  }

  /** Prunes the least recently seen flow of all lists. */
  private pruneOldest(): void {
    let victim: Flow | undefined;
    for (const list of this.lists) {
      const f = list.oldest;
      if (f !== undefined && (victim === undefined || f.lastSeen < victim.lastSeen)) victim = f;
    }
    if (victim !== undefined) this.remove(victim, 'pruned');
  }

  private remove(flow: Flow, reason: FlowEndReason): void {
    // Out of its bucket chain...
    const b = flow.hash & this.mask;
    let head = this.buckets[b];
    if (head === flow) {
      this.buckets[b] = flow.nextInBucket;
    } else {
      while (head !== undefined && head.nextInBucket !== flow) head = head.nextInBucket;
      if (head !== undefined) head.nextInBucket = flow.nextInBucket;
    }
    flow.nextInBucket = undefined;
    // ...and out of the LRU list.
    this.unlink(flow);
    this.count--;
    if (reason === 'timeout') this.stats.timedOut++;
    else if (reason === 'pruned') this.stats.pruned++;
    else this.stats.closed++;
    this.onEnd?.(flow, reason);
  }
}
