/**
 * The detection engine: selects candidate rules for a packet and evaluates them.
 *
 *   protocol bucket (tcp / udp / icmp / ip)
 *     -> port groups like Snort's: rules with specific destination ports are grouped by destination
 *        port, else by source port, else they go to the bucket's any-port group; groups with the
 *        same rules share one compiled matcher
 *     -> per group and buffer, one Aho-Corasick pass over the buffer picks the rules whose fast
 *        pattern occurs; rules without a usable fast pattern are found through an address index
 *        (IPv4 interval lookup on the side of the rule header with the narrowest address set)
 *     -> each candidate's header (addresses, ports, service) is checked, then `matchRule`
 *        evaluates its options with Snort's cursor semantics
 *     -> matched rules become events: ordered like Snort's event queue (action order, then longest
 *        content first), filtered by detection_filter / event_filter / suppress / rate_filter, and at
 *        most `log` events per packet are logged (default 3, like Snort's `event_queue`).
 *
 * Per-packet work allocates nothing: candidate sets are typed-array stamps, the event list is reused.
 */
import { IPPROTO, type AlertEvent, type InspectionBuffers, type Packet, type RuleAction } from '../types.js';
import type { AddressSet, EvalState, FlowRequirement, Rule } from '../rules/types.js';
import { AddressIndex } from './address-index.js';
import { addrKey, EventFilters, type EventFilterSpec } from './filters.js';
import { compileMatcher, DEFAULT_DFA_CELLS, type Matcher } from './multi-pattern.js';

/** The rule stage's evaluator, injected so the engine is independent of how options are compiled. */
export interface RuleEvaluator {
  createState(): EvalState;
  matchRule(rule: Rule, pkt: Packet, buffers: InspectionBuffers, state: EvalState): boolean;
}

export interface DetectorOptions {
  readonly evaluator: RuleEvaluator;
  /** Events logged per packet at most (Snort event_queue `log`, default 3). */
  readonly logLimit?: number;
  /** Events queued per packet at most (Snort event_queue `max_queue`, default 8). */
  readonly maxQueue?: number;
  /** Event order within an action: longest content first (Snort's default) or lowest priority number first. */
  readonly orderEvents?: 'content_length' | 'priority';
  readonly filters?: EventFilters;
  /** Measure time per rule (counts are always kept). */
  readonly profile?: boolean;
  /** Dense rows per matcher, in cells (default DEFAULT_DFA_CELLS); deeper states get sparse rows. */
  readonly maxDfaCells?: number;
}

/** Per-rule cost figures, like Snort's rule profiler. */
export interface RuleProfile {
  readonly gid: number;
  readonly sid: number;
  readonly rev: number;
  readonly msg: string;
  /** Times the rule was evaluated (a candidate whose header matched). */
  readonly checks: number;
  readonly matches: number;
  /** Evaluations that matched but were not logged (filters, queue). */
  readonly alerts: number;
  /** Total evaluation time in microseconds (0 unless profiling is on). */
  readonly timeUs: number;
  readonly avgUs: number;
}

/** Counters the pipeline reports. */
export interface DetectionCounters {
  evals: number;
  matches: number;
  events: number;
  logged: number;
  filtered: number;
  queueOverflow: number;
  passed: number;
  noalert: number;
}

/** Structure of the compiled engine, for `--check-rules` and tests. */
export interface DetectorSummary {
  readonly rules: number;
  readonly groups: number;
  readonly fastPatternRules: number;
  readonly noFastPatternRules: number;
  readonly addressIndexedRules: number;
  readonly matcherStates: number;
  readonly denseMatchers: number;
  readonly sparseMatchers: number;
}

interface BufferMatcher {
  readonly buffer: string;
  readonly matcher: Matcher;
  /** Matcher pattern id -> rule numbers (global indices). */
  readonly ruleStart: Int32Array;
  readonly ruleIds: Int32Array;
}

interface RuleGroup {
  readonly matchers: BufferMatcher[];
  /** Rules without a fast pattern, found by address. */
  readonly srcIndex: AddressIndex;
  readonly dstIndex: AddressIndex;
  /** Non-fast-pattern rules evaluated on every packet of the group (any-address on the indexed side). */
  readonly always: Int32Array;
  /** Non-fast-pattern rules to check for IPv6 packets (their indexed side may hold IPv6 addresses). */
  readonly v6: Int32Array;
}

/** Counters while compiling (rules counted once even when they join several groups). */
interface BuildStats {
  groups: number;
  readonly fp: Set<number>;
  readonly nfp: Set<number>;
  readonly indexed: Set<number>;
  states: number;
  dense: number;
  sparse: number;
}

/** Port -> the groups whose port set contains it (undefined when none). */
type PortMap = (Int32Array | undefined)[];

interface Bucket {
  readonly byDst: PortMap | undefined;
  readonly bySrc: PortMap | undefined;
  readonly groups: RuleGroup[];
  readonly any: RuleGroup | undefined;
}

const ACTION_ORDER: Readonly<Record<RuleAction, number>> = {
  pass: 0,
  block: 1,
  drop: 2,
  sdrop: 3,
  reject: 4,
  rewrite: 5,
  alert: 6,
  log: 7,
};

const BUCKET_TCP = 0;
const BUCKET_UDP = 1;
const BUCKET_ICMP = 2;
const BUCKET_IP = 3;

/** Protocol names that are plain transport headers (anything else in a header is a service). */
const TRANSPORTS = new Set(['tcp', 'udp', 'icmp', 'ip']);

/** Port sets with at least this many rules keep a group of their own; smaller ones are merged per port. */
const BIG_GROUP = 64;

/** A port set counts as "specific" for grouping when it covers at most this many ports. */
const MAX_GROUP_PORTS = 4096;

function portCount(ranges: Uint16Array): number {
  let n = 0;
  for (let i = 0; i < ranges.length; i += 2) n += ranges[i + 1]! - ranges[i]! + 1;
  return n;
}

function addressCoverage(set: AddressSet): number {
  if (set.any) return 2 ** 32 + 1;
  let n = 0;
  const r = set.v4Ranges;
  for (let i = 0; i < r.length; i += 2) n += r[i + 1]! - r[i]! + 1;
  return n;
}

/** Whether an address set may hold IPv6 addresses (the set exposes IPv6 only through membership tests). */
function mayHoldV6(set: AddressSet): boolean {
  return set.any || set.v6All || set.negated || /::|[0-9a-f]{1,4}:[0-9a-f]{0,4}:/i.test(set.text) || set.text.includes('$');
}

/**
 * Builds a detection engine over loaded rules.
 *
 * @example
 * const detector = new Detector(rules, { evaluator: { createState: createEvalState, matchRule } });
 * for (const ev of detector.inspect(pkt, buffers)) sink.write(ev);
 */
export class Detector {
  readonly rules: readonly Rule[];
  readonly counters: DetectionCounters = { evals: 0, matches: 0, events: 0, logged: 0, filtered: 0, queueOverflow: 0, passed: 0, noalert: 0 };
  readonly summary: DetectorSummary;
  private readonly buckets: Bucket[];
  /** IP rules restricted by `ip_proto:N`, by protocol number. */
  private readonly byIpProto: (Bucket | undefined)[];
  private readonly evaluator: RuleEvaluator;
  private readonly state: EvalState;
  private readonly filters: EventFilters;
  private readonly logLimit: number;
  private readonly maxQueue: number;
  private readonly orderEvents: 'content_length' | 'priority';
  private readonly profile: boolean;
  /** Generation stamps: a rule already tried for the current packet has stamp === gen. */
  private readonly stamp: Uint32Array;
  private gen = 0;
  private readonly checks: Float64Array;
  private readonly matchCounts: Float64Array;
  private readonly alertCounts: Float64Array;
  private readonly times: Float64Array;
  private readonly fpLen: Int32Array;
  private readonly thresholds: (EventFilterSpec | undefined)[];
  private readonly serviceHeader: Uint8Array;
  /** Per TCP / UDP bucket: service -> its rules that sit in port groups (specific ports). */
  private readonly serviceRules: Map<string, number[]>[] = [];
  /**
   * Service groups, compiled on first use: per bucket and service, keyed by the packet's destination and
   * source port-group lists, the service's port-grouped rules those port groups do not hold (so a flow
   * whose service is known finds its service rules on any port, and no rule is searched twice).
   */
  private readonly serviceGroups = new Map<string, Map<Int32Array | undefined, Map<Int32Array | undefined, RuleGroup | null>>>();
  // (keyed by bucket, packet direction and service, then the port-group lists)
  private readonly maxDfaCells: number;
  /**
   * HTTP section scope per rule: bit 1 = reads HTTP header-level buffers and no body buffer (not
   * evaluated on body sections); bit 2 = reads only request-line buffers (not evaluated on responses).
   */
  private readonly httpScope: Uint8Array;
  /** Matched rule numbers for the current packet. */
  private matched: number[] = [];
  private pkt: Packet | undefined;
  private buffers: InspectionBuffers | undefined;
  private readonly onCandidate = (ruleNo: number): void => this.tryRule(ruleNo);
  /** The matcher being scanned: pattern id -> rules (fields, so the callback below is allocated once). */
  private curStarts: Int32Array = new Int32Array(1);
  private curIds: Int32Array = new Int32Array(0);
  private readonly onPattern = (pid: number): void => {
    const starts = this.curStarts;
    const ids = this.curIds;
    for (let k = starts[pid]!, e = starts[pid + 1]!; k < e; k++) this.tryRule(ids[k]!);
  };

  constructor(rules: readonly Rule[], options: DetectorOptions) {
    this.rules = rules;
    this.evaluator = options.evaluator;
    this.state = options.evaluator.createState();
    this.filters = options.filters ?? new EventFilters();
    this.logLimit = options.logLimit ?? 3;
    this.maxQueue = Math.max(options.maxQueue ?? 8, this.logLimit);
    this.orderEvents = options.orderEvents ?? 'content_length';
    this.profile = options.profile ?? false;
    const n = rules.length;
    this.stamp = new Uint32Array(n);
    this.checks = new Float64Array(n);
    this.matchCounts = new Float64Array(n);
    this.alertCounts = new Float64Array(n);
    this.times = new Float64Array(n);
    this.fpLen = new Int32Array(n);
    this.serviceHeader = new Uint8Array(n);
    this.httpScope = new Uint8Array(n);
    this.thresholds = rules.map((r) =>
      r.threshold === undefined ? undefined : { gid: r.gid, sid: r.sid, type: r.threshold.type, track: r.threshold.track, count: r.threshold.count, seconds: r.threshold.seconds },
    );
    rules.forEach((r, i) => {
      this.fpLen[i] = r.fastPattern?.bytes.length ?? 0;
      this.serviceHeader[i] = TRANSPORTS.has(r.proto) ? 0 : 1;
      this.httpScope[i] = httpScopeOf(r.buffers);
    });
    const perBucket: number[][] = [[], [], [], []];
    const perIpProto = new Map<number, number[]>();
    rules.forEach((r, i) => {
      if (r.ipProto === IPPROTO.TCP) perBucket[BUCKET_TCP]!.push(i);
      else if (r.ipProto === IPPROTO.UDP) perBucket[BUCKET_UDP]!.push(i);
      else if (r.ipProto === IPPROTO.ICMP || r.ipProto === IPPROTO.ICMPV6) perBucket[BUCKET_ICMP]!.push(i);
      else {
        // `alert ip ... (ip_proto:2; ...)` only concerns one protocol: bucket it there so other
        // packets never consider it (the option is still evaluated).
        const proto = ipProtoEquals(r);
        if (proto !== undefined) pushTo(perIpProto, proto, i);
        else {
          // Like Snort, ip rules also join the TCP, UDP and ICMP groups, so those packets need no
          // extra matcher pass; the ip bucket itself serves the other IP protocols.
          perBucket[BUCKET_IP]!.push(i);
          perBucket[BUCKET_TCP]!.push(i);
          perBucket[BUCKET_UDP]!.push(i);
          perBucket[BUCKET_ICMP]!.push(i);
        }
      }
    });
    const stats: BuildStats = { groups: 0, fp: new Set(), nfp: new Set(), indexed: new Set(), states: 0, dense: 0, sparse: 0 };
    const maxDfaCells = options.maxDfaCells ?? DEFAULT_DFA_CELLS;
    this.buckets = perBucket.map((list, b) => this.buildBucket(list, b === BUCKET_TCP || b === BUCKET_UDP, stats, maxDfaCells));
    this.byIpProto = new Array(256).fill(undefined);
    for (const [proto, list] of perIpProto) this.byIpProto[proto] = this.buildBucket(list, proto === IPPROTO.TCP || proto === IPPROTO.UDP, stats, maxDfaCells);
    this.maxDfaCells = maxDfaCells;
    for (const b of [BUCKET_TCP, BUCKET_UDP]) {
      const bySvc = new Map<string, number[]>();
      // Only `service:` counts: a rule that merely reads HTTP buffers keeps its ports (ET's "GET on port 53").
      for (const i of perBucket[b]!) if (portGrouped(rules[i]!)) for (const svc of rules[i]!.services) pushTo(bySvc, svc, i);
      this.serviceRules[b] = bySvc;
    }
    this.summary = {
      rules: n,
      groups: stats.groups,
      fastPatternRules: stats.fp.size,
      noFastPatternRules: stats.nfp.size,
      addressIndexedRules: stats.indexed.size,
      matcherStates: stats.states,
      denseMatchers: stats.dense,
      sparseMatchers: stats.sparse,
    };
  }

  private buildBucket(list: number[], hasPorts: boolean, stats: BuildStats, maxDfaCells: number): Bucket {
    // Rules are grouped by their exact port set (all `$HTTP_PORTS` rules form one group), so each
    // rule is compiled once; a port maps to the few groups whose set contains it.
    const anyRules: number[] = [];
    const dstSets = new Map<string, { ranges: Uint16Array; ids: number[] }>();
    const srcSets = new Map<string, { ranges: Uint16Array; ids: number[] }>();
    const add = (sets: Map<string, { ranges: Uint16Array; ids: number[] }>, ranges: Uint16Array, i: number) => {
      const key = ranges.join(',');
      const e = sets.get(key);
      if (e === undefined) sets.set(key, { ranges, ids: [i] });
      else e.ids.push(i);
    };
    for (const i of list) {
      const r = this.rules[i]!;
      if (hasPorts && !r.bidirectional && !r.dstPorts.any && portCount(r.dstPorts.ranges) <= MAX_GROUP_PORTS) add(dstSets, r.dstPorts.ranges, i);
      else if (hasPorts && !r.bidirectional && !r.srcPorts.any && portCount(r.srcPorts.ranges) <= MAX_GROUP_PORTS) add(srcSets, r.srcPorts.ranges, i);
      else anyRules.push(i);
    }
    const groups: RuleGroup[] = [];
    const mapPorts = (sets: Map<string, { ranges: Uint16Array; ids: number[] }>): PortMap | undefined => {
      if (sets.size === 0) return undefined;
      // Big port sets ($HTTP_PORTS...) keep one group each. A port's small sets are merged into one
      // group per distinct combination, so a packet to port 80 runs two matcher passes, not nine.
      const perPort = new Map<number, number[]>();
      const smallPerPort = new Map<number, number[]>();
      const small: number[][] = [];
      for (const { ranges, ids } of sets.values()) {
        if (ids.length >= BIG_GROUP) {
          const g = groups.length;
          groups.push(this.buildGroup(ids, stats, maxDfaCells));
          forEachPort(ranges, (p) => pushTo(perPort, p, g));
        } else {
          const k = small.length;
          small.push(ids);
          forEachPort(ranges, (p) => pushTo(smallPerPort, p, k));
        }
      }
      const merged = new Map<string, number>();
      for (const [port, ks] of smallPerPort) {
        const key = ks.join(',');
        let g = merged.get(key);
        if (g === undefined) {
          g = groups.length;
          groups.push(this.buildGroup([...new Set(ks.flatMap((k) => small[k]!))].sort((a, b) => a - b), stats, maxDfaCells));
          merged.set(key, g);
        }
        pushTo(perPort, port, g);
      }
      // Ports sharing the same list of groups share one Int32Array.
      const table: (Int32Array | undefined)[] = new Array(65536).fill(undefined);
      const shared = new Map<string, Int32Array>();
      for (const [port, gs] of perPort) {
        const key = gs.join(',');
        let arr = shared.get(key);
        if (arr === undefined) {
          arr = Int32Array.from(gs);
          shared.set(key, arr);
        }
        table[port] = arr;
      }
      return table;
    };
    const byDst = mapPorts(dstSets);
    const bySrc = mapPorts(srcSets);
    const any = anyRules.length > 0 ? this.buildGroup(anyRules, stats, maxDfaCells) : undefined;
    return { byDst, bySrc, groups, any };
  }

  private buildGroup(ids: number[], stats: BuildStats, maxDfaCells: number): RuleGroup {
    stats.groups++;
    const perBuffer = new Map<string, number[]>();
    const srcIndex = new AddressIndex();
    const dstIndex = new AddressIndex();
    const always: number[] = [];
    const v6: number[] = [];
    for (const i of ids) {
      const r = this.rules[i]!;
      const fp = r.fastPattern;
      if (fp !== undefined && !fp.negated && fp.bytes.length > 0) {
        pushTo(perBuffer, fp.buffer, i);
        stats.fp.add(i);
        continue;
      }
      stats.nfp.add(i);
      // Index by the side with the narrowest IPv4 coverage; `any` on both sides means every packet.
      const srcCov = addressCoverage(r.src);
      const dstCov = addressCoverage(r.dst);
      const useSrc = srcCov <= dstCov;
      const side = useSrc ? r.src : r.dst;
      if (side.any) {
        always.push(i);
        continue;
      }
      stats.indexed.add(i);
      if (r.bidirectional) {
        // Either packet address may be on this side of the rule.
        srcIndex.add(i, side.v4Ranges);
        dstIndex.add(i, side.v4Ranges);
      } else if (useSrc) srcIndex.add(i, side.v4Ranges);
      else dstIndex.add(i, side.v4Ranges);
      if (mayHoldV6(side)) v6.push(i);
    }
    srcIndex.build();
    dstIndex.build();
    const matchers: BufferMatcher[] = [];
    for (const [buffer, rules] of perBuffer) {
      // Rules with identical patterns share a pattern id.
      const idOf = new Map<string, number>();
      const members: number[][] = [];
      const patterns: { bytes: Uint8Array; id: number }[] = [];
      for (const i of rules) {
        const bytes = this.rules[i]!.fastPattern!.bytes;
        const key = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1').toLowerCase();
        let id = idOf.get(key);
        if (id === undefined) {
          id = members.length;
          idOf.set(key, id);
          members.push([]);
          patterns.push({ bytes, id });
        }
        members[id]!.push(i);
      }
      const matcher = compileMatcher(patterns, { maxDfaCells });
      stats.states += matcher.stateCount;
      if (matcher.dense) stats.dense++;
      else stats.sparse++;
      const ruleStart = new Int32Array(members.length + 1);
      let total = 0;
      members.forEach((m, k) => {
        ruleStart[k] = total;
        total += m.length;
      });
      ruleStart[members.length] = total;
      const ruleIds = new Int32Array(total);
      members.forEach((m, k) => ruleIds.set(m, ruleStart[k]!));
      matchers.push({ buffer, matcher, ruleStart, ruleIds });
    }
    return { matchers, srcIndex, dstIndex, always: Int32Array.from(always), v6: Int32Array.from(v6) };
  }

  /**
   * Runs detection on one packet and returns the events to log (at most `logLimit`), already
   * filtered. The returned array is reused by the next call.
   */
  inspect(pkt: Packet, buffers: InspectionBuffers): AlertEvent[] {
    if (pkt.ip === undefined) return NO_EVENTS;
    this.gen = (this.gen + 1) >>> 0;
    if (this.gen === 0) {
      this.stamp.fill(0);
      this.gen = 1;
    }
    this.pkt = pkt;
    this.buffers = buffers;
    this.matched.length = 0;
    this.state.nowSec = pkt.raw.tsSec;
    const proto = pkt.proto;
    const bucket = proto === IPPROTO.TCP ? BUCKET_TCP : proto === IPPROTO.UDP ? BUCKET_UDP : proto === IPPROTO.ICMP || proto === IPPROTO.ICMPV6 ? BUCKET_ICMP : -1;
    const bk = this.buckets[bucket >= 0 ? bucket : BUCKET_IP]!;
    this.runBucket(bk, pkt, buffers);
    // A flow whose service is known also runs its service's rules that the port groups did not hold.
    const svc = bucket === BUCKET_TCP || bucket === BUCKET_UDP ? pkt.flow?.service : undefined;
    if (svc !== undefined && this.serviceRules[bucket]!.has(svc)) {
      const sg = this.serviceGroup(bucket, svc, bk.byDst?.[pkt.dstPort], bk.bySrc?.[pkt.srcPort], pkt);
      if (sg !== null) this.runGroup(sg, pkt, buffers);
    }
    if (proto >= 0 && proto < 256) {
      const pb = this.byIpProto[proto];
      if (pb !== undefined) this.runBucket(pb, pkt, buffers);
    }
    this.pkt = undefined;
    this.buffers = undefined;
    if (this.matched.length === 0) return NO_EVENTS;
    return this.selectEvents(pkt);
  }

  /** The service group for a packet's port-group lists (see `serviceGroups`); null when empty. */
  private serviceGroup(bucket: number, svc: string, dst: Int32Array | undefined, src: Int32Array | undefined, pkt: Packet): RuleGroup | null {
    // The packet's direction is part of the key: rules for the other direction (flow:to_server on a reply)
    // stay out, so a reply does not scan every request rule of its service.
    const dir = pkt.direction === 'client' ? 'c' : pkt.direction === 'server' ? 's' : 'u';
    const key = `${bucket === BUCKET_TCP ? 't' : 'u'}${dir}${svc}`;
    let byDst = this.serviceGroups.get(key);
    if (byDst === undefined) this.serviceGroups.set(key, (byDst = new Map()));
    let bySrc = byDst.get(dst);
    if (bySrc === undefined) byDst.set(dst, (bySrc = new Map()));
    let g = bySrc.get(src);
    if (g !== undefined) return g;
    // Ports sharing a port-group list reach the same rules, so this packet's ports decide for all of them.
    const ids = this.serviceRules[bucket]!.get(svc)!.filter((i) => {
      const r = this.rules[i]!;
      const fr = r.flow;
      if (fr !== undefined && !fr.stateless && ((dir === 'c' && fr.toClient) || (dir === 's' && fr.toServer))) return false;
      const byDstPort = !r.dstPorts.any && portCount(r.dstPorts.ranges) <= MAX_GROUP_PORTS;
      return byDstPort ? !r.dstPorts.matches(pkt.dstPort) : !r.srcPorts.matches(pkt.srcPort);
    });
    const stats: BuildStats = { groups: 0, fp: new Set(), nfp: new Set(), indexed: new Set(), states: 0, dense: 0, sparse: 0 };
    g = ids.length === 0 ? null : this.buildGroup(ids, stats, this.maxDfaCells);
    bySrc.set(src, g);
    return g;
  }

  private runBucket(b: Bucket, pkt: Packet, buffers: InspectionBuffers): void {
    if (b.byDst !== undefined) {
      const gs = b.byDst[pkt.dstPort];
      if (gs !== undefined) for (let k = 0; k < gs.length; k++) this.runGroup(b.groups[gs[k]!]!, pkt, buffers);
    }
    if (b.bySrc !== undefined) {
      const gs = b.bySrc[pkt.srcPort];
      if (gs !== undefined) for (let k = 0; k < gs.length; k++) this.runGroup(b.groups[gs[k]!]!, pkt, buffers);
    }
    if (b.any !== undefined) this.runGroup(b.any, pkt, buffers);
  }

  private runGroup(g: RuleGroup, pkt: Packet, buffers: InspectionBuffers): void {
    for (const m of g.matchers) {
      const data = buffers.get(m.buffer);
      if (data === undefined || data.length === 0) continue;
      this.curStarts = m.ruleStart;
      this.curIds = m.ruleIds;
      m.matcher.scan(data, this.onPattern);
    }
    const always = g.always;
    for (let k = 0; k < always.length; k++) this.tryRule(always[k]!);
    const ip = pkt.ip!;
    if (ip.version === 4) {
      g.srcIndex.lookup(ip.src, this.onCandidate);
      g.dstIndex.lookup(ip.dst, this.onCandidate);
    } else {
      const v6 = g.v6;
      for (let k = 0; k < v6.length; k++) this.tryRule(v6[k]!);
    }
  }

  private tryRule(i: number): void {
    if (this.stamp[i] === this.gen) return;
    this.stamp[i] = this.gen;
    const r = this.rules[i]!;
    const pkt = this.pkt!;
    // An HTTP body section re-offers the message's header buffers only to rules that also read the body,
    // and a response offers its request's URI and method only to rules that read the response too
    // (Snort 3 evaluates a rule in one section of a transaction).
    if (pkt.section !== undefined && this.httpScope[i] !== 0) {
      const scope = this.httpScope[i]!;
      if ((pkt.section === 'body' && (scope & 1) !== 0) || (pkt.direction === 'server' && (scope & 2) !== 0)) return;
    }
    // A rule whose `service` the flow carries is service-based: its ports are not tested (Snort 3).
    // Suricata always tests the header's ports (`alert http ... -> any 443` is HTTP on port 443 only).
    const svc = pkt.flow?.service;
    if (!headerMatches(r, pkt, svc === undefined || r.services.length === 0 || !r.services.includes(svc) || r.syntax === 'suricata')) return;
    if (this.serviceHeader[i] === 1 || r.services.length > 0) {
      const svc = pkt.flow?.service;
      // A service header (`alert http`) needs the flow's service; `service:` on a transport header
      // only excludes flows known to carry another service (ports decide otherwise), as Snort 3.
      if (this.serviceHeader[i] === 1 ? svc === undefined || !(svc === r.proto || r.services.includes(svc)) : svc !== undefined && !r.services.includes(svc)) return;
    }
    // The rule's `flow:` requirement is a pure test of the packet: checking it here saves a
    // matchRule call for every packet going the wrong way (the option itself still runs in order).
    const fr = r.flow;
    if (fr !== undefined && !flowAllows(fr, pkt)) return;
    this.counters.evals++;
    this.checks[i]!++;
    let ok: boolean;
    if (this.profile) {
      const t0 = performance.now();
      ok = this.evaluator.matchRule(r, pkt, this.buffers!, this.state);
      this.times[i]! += performance.now() - t0;
    } else {
      ok = this.evaluator.matchRule(r, pkt, this.buffers!, this.state);
    }
    if (!ok) return;
    const df = r.detectionFilter;
    if (df !== undefined && !this.filters.detectionFilter(r.gid, r.sid, df, srcKey(pkt), dstKey(pkt), pkt.raw.tsSec)) return;
    this.counters.matches++;
    this.matchCounts[i]!++;
    this.matched.push(i);
  }

  private selectEvents(pkt: Packet): AlertEvent[] {
    const m = this.matched;
    const rules = this.rules;
    let hasPass = false;
    for (let k = 0; k < m.length; k++) if (rules[m[k]!]!.action === 'pass') hasPass = true;
    if (hasPass) {
      // A pass rule lets the packet through unlogged, as Snort's default action order does.
      this.counters.passed++;
      return NO_EVENTS;
    }
    if (m.length > 1) {
      const fpLen = this.fpLen;
      const byPriority = this.orderEvents === 'priority';
      m.sort((a, b) => {
        const ra = rules[a]!;
        const rb = rules[b]!;
        const d = ACTION_ORDER[ra.action] - ACTION_ORDER[rb.action];
        if (d !== 0) return d;
        const e = byPriority ? ra.priority - rb.priority : fpLen[b]! - fpLen[a]!;
        return e !== 0 ? e : a - b;
      });
    }
    const out: AlertEvent[] = [];
    let queued = 0;
    for (let k = 0; k < m.length; k++) {
      const i = m[k]!;
      const r = rules[i]!;
      if (r.noalert) {
        this.counters.noalert++;
        continue;
      }
      this.counters.events++;
      if (queued >= this.maxQueue || out.length >= this.logLimit) {
        this.counters.queueOverflow++;
        continue;
      }
      queued++;
      const ip = pkt.ip!;
      const decision = this.filters.check(r.gid, r.sid, r.action, this.thresholds[i], ip.src, ip.dst, pkt.raw.tsSec);
      if (!decision.log) {
        this.counters.filtered++;
        continue;
      }
      this.alertCounts[i]!++;
      out.push({ gid: r.gid, sid: r.sid, rev: r.rev, msg: r.msg, classtype: r.classtype, priority: r.priority, action: decision.action, packet: pkt });
    }
    this.counters.logged += out.length;
    return out;
  }

  /** The rules that cost the most, like Snort's rule profiler (sorted by time when profiling, else checks). */
  topRules(count: number): RuleProfile[] {
    const idx: number[] = [];
    for (let i = 0; i < this.rules.length; i++) if (this.checks[i]! > 0) idx.push(i);
    const byTime = this.profile;
    idx.sort((a, b) => (byTime ? this.times[b]! - this.times[a]! : this.checks[b]! - this.checks[a]!) || a - b);
    return idx.slice(0, count).map((i) => {
      const r = this.rules[i]!;
      const timeUs = this.times[i]! * 1000;
      return {
        gid: r.gid,
        sid: r.sid,
        rev: r.rev,
        msg: r.msg,
        checks: this.checks[i]!,
        matches: this.matchCounts[i]!,
        alerts: this.alertCounts[i]!,
        timeUs,
        avgUs: timeUs / this.checks[i]!,
      };
    });
  }

  /** Evaluations the rule stage cut short (PCRE fallback budget). */
  get truncatedEvals(): number {
    return this.state.truncated;
  }

  /** Filter counters (event_filter / suppress). */
  get filterCounters(): { filtered: number; suppressed: number } {
    return { filtered: this.filters.filtered, suppressed: this.filters.suppressed };
  }
}

const NO_EVENTS: AlertEvent[] = [];

function srcKey(p: Packet): number | string {
  return addrKey(p.ip?.src);
}
function dstKey(p: Packet): number | string {
  return addrKey(p.ip?.dst);
}

/** Same test as the `flow` option (rules/options/flow.ts), for the candidate pre-filter. */
function flowAllows(r: FlowRequirement, p: Packet): boolean {
  if (r.stateless) return true;
  const established = p.flow?.established ?? false;
  if (r.established && !established) return false;
  if (r.notEstablished && established) return false;
  if (r.toServer && p.direction !== 'client') return false;
  if (r.toClient && p.direction !== 'server') return false;
  return true;
}

/** The protocol number of an `ip_proto:N` (equality) option, when the rule has one. */
function ipProtoEquals(r: Rule): number | undefined {
  for (const o of r.options) {
    if (o.name !== 'ip_proto') continue;
    const m = /(?:^|:)=?(\d+)$/.exec(o.key);
    if (m && !o.key.includes('!') && !o.key.includes('<') && !o.key.includes('>')) return Number(m[1]);
  }
  return undefined;
}

/** Whether buildBucket puts the rule in a port group (specific destination or source ports). */
function portGrouped(r: Rule): boolean {
  if (r.bidirectional) return false;
  return (!r.dstPorts.any && portCount(r.dstPorts.ranges) <= MAX_GROUP_PORTS) || (!r.srcPorts.any && portCount(r.srcPorts.ranges) <= MAX_GROUP_PORTS);
}

function forEachPort(ranges: Uint16Array, fn: (p: number) => void): void {
  for (let i = 0; i < ranges.length; i += 2) for (let p = ranges[i]!; p <= ranges[i + 1]!; p++) fn(p);
}

function pushTo<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function sideMatches(addrs: AddressSet, ports: { any: boolean; matches(p: number): boolean }, ip: number | Uint8Array, port: number, hasPorts: boolean): boolean {
  if (!addrs.any && !(typeof ip === 'number' ? addrs.matchesV4(ip) : addrs.matchesV6(ip))) return false;
  if (hasPorts && !ports.any && !ports.matches(port)) return false;
  return true;
}

/** The rule header test: addresses and ports in the rule's direction (or both for `<>`). */
export function headerMatches(r: Rule, p: Packet, checkPorts = true): boolean {
  const ip = p.ip;
  if (ip === undefined) return false;
  const hasPorts = checkPorts && (p.tcp !== undefined || p.udp !== undefined);
  if (sideMatches(r.src, r.srcPorts, ip.src, p.srcPort, hasPorts) && sideMatches(r.dst, r.dstPorts, ip.dst, p.dstPort, hasPorts)) return true;
  if (!r.bidirectional) return false;
  return sideMatches(r.src, r.srcPorts, ip.dst, p.dstPort, hasPorts) && sideMatches(r.dst, r.dstPorts, ip.src, p.srcPort, hasPorts);
}

/** Buffers of an HTTP message body (the HTTP inspector's body sections). */
const BODY_BUFFERS = new Set(['file_data', 'http_client_body', 'http_raw_body', 'js_data']);

/** Buffers of a request line, which a response unit also offers (paired with its request). */
const REQUEST_LINE_BUFFERS = new Set(['http_uri', 'http_raw_uri', 'http_method']);

/** A rule's HTTP section scope (see `httpScope`). */
function httpScopeOf(buffers: readonly string[]): number {
  let http = false;
  let body = false;
  let requestLineOnly = true;
  for (const b of buffers) {
    if (BODY_BUFFERS.has(b)) body = true;
    if (b.startsWith('http_') || b === 'file_data') {
      http ||= b.startsWith('http_');
      if (!REQUEST_LINE_BUFFERS.has(b)) requestLineOnly = false;
    }
  }
  if (!http) return 0;
  return (body ? 0 : 1) | (requestLineOnly ? 2 : 0);
}
