import { IPPROTO, TCP_FLAG } from '../types.js';
import type { FlowState, Packet, PacketDirection } from '../types.js';

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
  readonly key: string;
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

  constructor(key: string, proto: number, clientAddr: string | number, clientPort: number, now: number) {
    this.id = nextFlowId++;
    this.key = key;
    this.proto = proto;
    this.clientAddr = clientAddr;
    this.clientPort = clientPort;
    this.firstSeen = now;
    this.lastSeen = now;
  }
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
  /** Map order is least recently used first: a packet moves its flow to the end. */
  private readonly flows = new Map<string, Flow>();
  private readonly tcpTimeout: number;
  private readonly udpTimeout: number;
  private readonly icmpTimeout: number;
  private readonly ipTimeout: number;
  private readonly closedTimeout: number;
  private readonly minTimeout: number;
  private readonly maxFlows: number;
  private readonly midstream: boolean;
  private readonly onEnd: ((flow: Flow, reason: FlowEndReason) => void) | undefined;

  constructor(options: FlowTableOptions = {}) {
    this.tcpTimeout = options.tcpTimeoutSec ?? 180;
    this.udpTimeout = options.udpTimeoutSec ?? 30;
    this.icmpTimeout = options.icmpTimeoutSec ?? 30;
    this.ipTimeout = options.ipTimeoutSec ?? 30;
    this.closedTimeout = options.closedTimeoutSec ?? 5;
    this.minTimeout = Math.min(this.tcpTimeout, this.udpTimeout, this.icmpTimeout, this.ipTimeout, this.closedTimeout);
    this.maxFlows = Math.max(1, options.maxFlows ?? 262_144);
    this.midstream = options.midstream ?? true;
    this.onEnd = options.onEnd;
  }

  /** Flows currently held. */
  get size(): number {
    return this.flows.size;
  }

  /** Looks a flow up by its key (tests, tools). */
  get(key: string): Flow | undefined {
    return this.flows.get(key);
  }

  /**
   * Finds or creates the packet's flow, updates its state and sets `pkt.flow` / `pkt.direction`.
   * Packets without IP, and IP fragments (their reassembled datagram gets the flow), get no flow.
   */
  process(pkt: Packet): Flow | undefined {
    const ip = pkt.ip;
    if (ip === undefined || pkt.isFragment) return undefined;
    const now = pkt.raw.tsSec + pkt.raw.tsUsec / 1e6;
    this.expire(now, 8);
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
    const srcFirst = src < dst || (src === dst && sp <= dp);
    const key = srcFirst ? `${proto}|${src}|${sp}|${dst}|${dp}` : `${proto}|${dst}|${dp}|${src}|${sp}`;
    let flow = this.flows.get(key);
    const tcp = pkt.tcp;
    if (flow !== undefined && flow.closed && tcp !== undefined && (tcp.flags & (TCP_FLAG.SYN | TCP_FLAG.ACK)) === TCP_FLAG.SYN) {
      // A new connection on the same 5-tuple.
      this.remove(flow, 'reused');
      flow = undefined;
    }
    if (flow === undefined) {
      // A SYN+ACK first means we missed the SYN: the receiver is the client.
      const reversed = tcp !== undefined && (tcp.flags & (TCP_FLAG.SYN | TCP_FLAG.ACK)) === (TCP_FLAG.SYN | TCP_FLAG.ACK);
      flow = reversed ? new Flow(key, proto, dst, dp, now) : new Flow(key, proto, src, sp, now);
      if (this.flows.size >= this.maxFlows) this.pruneOldest();
      this.flows.set(key, flow);
      this.stats.created++;
      if (this.flows.size > this.stats.peak) this.stats.peak = this.flows.size;
    } else {
      // Move to the most recently used end.
      this.flows.delete(key);
      this.flows.set(key, flow);
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
    return flow;
  }

  private trackTcp(flow: Flow, flags: number, fromClient: boolean): void {
    const syn = (flags & TCP_FLAG.SYN) !== 0;
    const ack = (flags & TCP_FLAG.ACK) !== 0;
    if (flags & TCP_FLAG.RST) {
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
    if (flags & TCP_FLAG.FIN) {
      if (fromClient) flow.finClient = true;
      else flow.finServer = true;
      if (flow.finClient && flow.finServer) flow.closed = true;
    }
  }

  private timeoutOf(flow: Flow): number {
    if (flow.closed) return this.closedTimeout;
    switch (flow.proto) {
      case IPPROTO.TCP:
        return this.tcpTimeout;
      case IPPROTO.UDP:
        return this.udpTimeout;
      case IPPROTO.ICMP:
      case IPPROTO.ICMPV6:
        return this.icmpTimeout;
      default:
        return this.ipTimeout;
    }
  }

  /**
   * Removes flows idle longer than their timeout at capture time `now`, oldest first, looking at most
   * at `budget` flows (the per-packet cost stays bounded; `expireAll` sweeps everything).
   */
  expire(now: number, budget = Number.POSITIVE_INFINITY): void {
    let looked = 0;
    for (const flow of this.flows.values()) {
      if (looked++ >= budget) return;
      const idle = now - flow.lastSeen;
      if (idle <= this.minTimeout) return; // LRU order: every later flow is more recent
      if (idle > this.timeoutOf(flow)) this.remove(flow, flow.closed ? 'closed' : 'timeout');
    }
  }

  /** Ends every flow (end of input), calling onEnd for each. */
  endAll(): void {
    for (const flow of [...this.flows.values()]) this.remove(flow, 'closed');
  }

  private pruneOldest(): void {
    const first = this.flows.values().next();
    if (first.done === true) return;
    this.remove(first.value, 'pruned');
  }

  private remove(flow: Flow, reason: FlowEndReason): void {
    this.flows.delete(flow.key);
    if (reason === 'timeout') this.stats.timedOut++;
    else if (reason === 'pruned') this.stats.pruned++;
    else this.stats.closed++;
    this.onEnd?.(flow, reason);
  }
}
