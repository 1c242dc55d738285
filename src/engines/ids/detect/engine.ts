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
import { IPPROTO, type AlertEvent, type BufferName, type InspectionBuffers, type Ipv4Info, type Ipv6Info, type Packet, type RuleAction } from '../types.js';
import type { AddressSet, EvalState, PortSet, Rule } from '../rules/types.js';
import { AddressIndex } from './address-index.js';
import { addrKey, EventFilters, type EventFilterSpec } from './filters.js';
import { compileMatcher, DEFAULT_DFA_CELLS, FOLD, type Matcher, type PatternInput } from './multi-pattern.js';

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
  /**
   * Bytes a packet key (bucket, port-group lists, service group) scans through its groups' separate
   * matchers at least before it gets a scan plan, one merged matcher per buffer (default PLAN_HOT_BYTES;
   * 0 = on first use, Infinity = never). A key whose merge compiles many states waits longer
   * (`planBytesPerState`).
   */
  readonly planHotBytes?: number;
  /** Bytes a key must also have scanned per automaton state its merge compiles (default PLAN_BYTES_PER_STATE). */
  readonly planBytesPerState?: number;
  /** Memory for merged plan matchers at most, in bytes (default PLAN_MAX_BYTES); past it keys keep the separate passes. */
  readonly planMaxBytes?: number;
}

/** Default `planHotBytes`. */
export const PLAN_HOT_BYTES = 64 * 1024;

/**
 * Bytes a key must have scanned per automaton state its merge would compile. Compiling costs about
 * 0.15-0.3 µs per state; merging two passes saves about 2 ns per byte scanned: a key that already
 * scanned 128 bytes per state is likely (busy keys stay busy) to repay its compile time.
 */
export const PLAN_BYTES_PER_STATE = 128;

/** Default `planMaxBytes`. */
export const PLAN_MAX_BYTES = 64 * 1024 * 1024;

/** Scan-plan figures, for tests and benchmarks. */
export interface PlanStats {
  /** Keys (bucket, port-group lists, service group) seen so far. */
  readonly keys: number;
  /** Keys that run a merged plan. */
  readonly plans: number;
  /** Merged matchers compiled (shared between plans with the same groups for a buffer). */
  readonly mergedMatchers: number;
  /** Bytes held by the merged matchers. */
  readonly mergedBytes: number;
  /** Time spent compiling plans, in milliseconds. */
  readonly compileMs: number;
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
  /** Buffer bytes run through fast-pattern matchers (a buffer scanned by two matchers counts twice). */
  scannedBytes: number;
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

/** Rules that cannot match without `buffer` (see RuleGroup.needs). */
interface NeedsList {
  readonly buffer: BufferName;
  readonly rules: Int32Array;
}

interface RuleGroup {
  /** Unique per detector: keys the merged matchers built from this group. */
  readonly id: number;
  readonly matchers: BufferMatcher[];
  /** Rules without a fast pattern, found by address. */
  readonly srcIndex: AddressIndex;
  readonly dstIndex: AddressIndex;
  /** Non-fast-pattern rules evaluated on every packet of the group (any-address on the indexed side). */
  readonly always: Int32Array;
  /** Non-fast-pattern rules to check for IPv6 packets (their indexed side may hold IPv6 addresses). */
  readonly v6: Int32Array;
  /**
   * Non-fast-pattern rules that need an inspector's buffer (Rule.requiredBuffer), by buffer: tried with
   * the `always` rules, and only on units that carry the buffer.
   */
  readonly needs: readonly NeedsList[];
  /** Rules found without a fast pattern (always, indexed or v6): the part a plan still runs per group. */
  readonly nfp: number;
}

/**
 * One matcher over the fast patterns that several groups hold for a buffer (or one group's own matcher).
 * Pattern id -> rules as in BufferMatcher, and per rule entry the index of the group it came from.
 */
interface MergedMatcher {
  readonly matcher: Matcher;
  readonly ruleStart: Int32Array;
  readonly ruleIds: Int32Array;
  readonly source: Uint16Array;
  /** Bytes this merge added (0 when it reuses a group's matcher). */
  readonly bytes: number;
}

interface PlanPass {
  readonly buffer: string;
  readonly merged: MergedMatcher;
  /** Per source group: the evaluation-order key of its rules (see ORDER_RANK). */
  readonly order: Int32Array;
}

/** A packet key's merged scan: one pass per buffer, then the groups' address-indexed parts. */
interface ScanPlan {
  readonly passes: PlanPass[];
  /** Groups with rules found without a fast pattern (always / indexes / v6), and their order keys. */
  readonly nfpGroups: RuleGroup[];
  readonly nfpOrder: Int32Array;
}

/** Everything a packet key reaches: its groups in evaluation order and, once hot, its plan. */
interface PlanSlot {
  readonly groups: RuleGroup[];
  /** Bytes scanned through the separate groups so far. */
  scanned: number;
  /** Bytes to scan before the plan is built (see `planBytesPerState`). */
  readonly threshold: number;
  plan: ScanPlan | undefined;
  /** No plan will be (re)considered: none would save a pass, or it was built or refused. */
  settled: boolean;
}

type SlotMap = Map<Int32Array | undefined, Map<Int32Array | undefined, Map<RuleGroup | null, PlanSlot>>>;

/**
 * Evaluation-order key of a rule in a plan: group rank * ORDER_RANK + phase (buffer index in the group,
 * then always / source index / destination index). Only rules with flow or host state (flowbits,
 * flowint, xbits) are deferred and sorted by it, so they see each other in the separate-pass order.
 */
const ORDER_RANK = 256;

/** Sequence numbers within an order key (candidates per packet stay far below this). */
const ORDER_SEQ = 2 ** 24;

/** Options whose evaluation reads or writes state that other rules' evaluations see. */
const STATEFUL_OPTIONS = new Set(['flowbits', 'flowint', 'xbits']);

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
  readonly counters: DetectionCounters = { evals: 0, matches: 0, events: 0, logged: 0, filtered: 0, queueOverflow: 0, passed: 0, noalert: 0, scannedBytes: 0 };
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
   * Keyed by bucket, then service, then packet direction (indexed by DIR_UNKNOWN / DIR_CLIENT / DIR_SERVER), then the port-group lists.
   */
  private readonly serviceGroups: Map<string, Map<Int32Array | undefined, Map<Int32Array | undefined, RuleGroup | null>>[]>[] = [new Map(), new Map()];
  /** Service groups by their rule list: different port-group lists often leave the same rules. */
  private readonly serviceGroupsByRules = new Map<string, RuleGroup>();
  private readonly maxDfaCells: number;
  private nextGroupId = 0;
  /** Packet keys per bucket (tcp, udp, icmp, ip), then the destination / source port-group lists and service group. */
  private readonly slots: SlotMap[] = [new Map(), new Map(), new Map(), new Map()];
  private readonly planHotBytes: number;
  private readonly planBytesPerState: number;
  private readonly planMaxBytes: number;
  /** Merged matchers by buffer and source group ids. */
  private readonly merged = new Map<string, MergedMatcher>();
  private planCount = 0;
  private slotCount = 0;
  private mergedBytes = 0;
  /** Fractional milliseconds: -0 (a double, equal to 0) makes the field a double from the start, like pSrc4. */
  private compileMs = -0;
  /** Per rule: 1 when its evaluation reads or writes flow / host state (see STATEFUL_OPTIONS). */
  private readonly stateful: Uint8Array;
  /** Stateful candidates of the current packet's plan, evaluated in separate-pass order at its end. */
  private readonly deferRules: number[] = [];
  private readonly deferKeys: number[] = [];
  private seq = 0;
  /** Order key for the candidates the address indexes report in a plan. */
  private curKey = 0;
  private curSource: Uint16Array = new Uint16Array(0);
  private curOrder: Int32Array = new Int32Array(0);
  /**
   * HTTP section scope per rule: bit 1 = reads HTTP header-level buffers and no body buffer (not
   * evaluated on body sections); bit 2 = reads only request-line buffers (not evaluated on responses).
   */
  private readonly httpScope: Uint8Array;
  /** Matched rule numbers for the current packet. */
  private matched: number[] = [];
  private pkt: Packet | undefined;
  private buffers: InspectionBuffers | undefined;
  /**
   * The current packet's fields that every candidate's checks read, copied once per packet. Packets come
   * in several shapes (decoded, reassembled units, HTTP sections; IPv4 / IPv6 headers built in different
   * places), so reading them per candidate made those checks polymorphic and deoptimised them as each new
   * shape arrived; these fields always hold one type each.
   */
  private pV4 = true;
  /**
   * IPv4 addresses as uint32 (most are above the small-integer range): starting as a double keeps the
   * field's representation from changing at the first such address, which would give the detector a new
   * map and deoptimise every method compiled against the old one.
   */
  private pSrc4 = NOT_SMI;
  private pDst4 = NOT_SMI;
  private pSrc6: Uint8Array = NO_V6;
  private pDst6: Uint8Array = NO_V6;
  private pProto = 0;
  /** Packet time in seconds (a double from the start, see pSrc4). */
  private pTs = -0;
  private pHasPorts = false;
  private pSrcPort = 0;
  private pDstPort = 0;
  /** The flow's service ('' when unknown or without a flow). */
  private pSvc = '';
  private pEstablished = false;
  /** DIR_CLIENT, DIR_SERVER or DIR_UNKNOWN. */
  private pDir = DIR_UNKNOWN;
  /** SECTION_NONE, SECTION_HEADER or SECTION_BODY (the HTTP section a unit carries). */
  private pSection = SECTION_NONE;
  private readonly onCandidate = (ruleNo: number): void => this.tryRule(ruleNo);
  /** The matcher being scanned: pattern id -> rules (fields, so the callback below is allocated once). */
  private curStarts: Int32Array = new Int32Array(1);
  private curIds: Int32Array = new Int32Array(0);
  private readonly onPattern = (pid: number): void => {
    const starts = this.curStarts;
    const ids = this.curIds;
    for (let k = starts[pid]!, e = starts[pid + 1]!; k < e; k++) this.tryRule(ids[k]!);
  };
  private readonly onPlanPattern = (pid: number): void => {
    const starts = this.curStarts;
    const ids = this.curIds;
    const source = this.curSource;
    const order = this.curOrder;
    for (let k = starts[pid]!, e = starts[pid + 1]!; k < e; k++) this.consider(ids[k]!, order[source[k]!]!);
  };
  private readonly onPlanCandidate = (ruleNo: number): void => this.consider(ruleNo, this.curKey);

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
    this.stateful = new Uint8Array(n);
    this.planHotBytes = options.planHotBytes ?? PLAN_HOT_BYTES;
    this.planBytesPerState = options.planBytesPerState ?? PLAN_BYTES_PER_STATE;
    this.planMaxBytes = options.planMaxBytes ?? PLAN_MAX_BYTES;
    this.thresholds = rules.map((r) =>
      r.threshold === undefined ? undefined : { gid: r.gid, sid: r.sid, type: r.threshold.type, track: r.threshold.track, count: r.threshold.count, seconds: r.threshold.seconds },
    );
    rules.forEach((r, i) => {
      this.fpLen[i] = r.fastPattern?.bytes.length ?? 0;
      this.serviceHeader[i] = TRANSPORTS.has(r.proto) ? 0 : 1;
      this.httpScope[i] = httpScopeOf(r.buffers);
      this.stateful[i] = r.options.some((o) => STATEFUL_OPTIONS.has(o.name)) ? 1 : 0;
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
    // Rules with the same port text share one PortSet (the parser caches them): one key string per set.
    const keys = new Map<Uint16Array, string>();
    const add = (sets: Map<string, { ranges: Uint16Array; ids: number[] }>, ranges: Uint16Array, i: number) => {
      let key = keys.get(ranges);
      if (key === undefined) keys.set(ranges, (key = ranges.join(',')));
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
      // A port's list of groups (and of small sets) is named by a number: lists grow by appending, so
      // equal lists are equal chains of appends (ListIds), with no key string per port.
      const perPort = new ListIds();
      const smallPerPort = new ListIds();
      const small: number[][] = [];
      for (const { ranges, ids } of sets.values()) {
        if (ids.length >= BIG_GROUP) {
          const g = groups.length;
          groups.push(this.buildGroup(ids, stats, maxDfaCells));
          perPort.appendToPorts(ranges, g);
        } else {
          const k = small.length;
          small.push(ids);
          smallPerPort.appendToPorts(ranges, k);
        }
      }
      const merged = new Map<number, number>();
      for (const port of smallPerPort.ports) {
        const list = smallPerPort.listOf[port]!;
        let g = merged.get(list);
        if (g === undefined) {
          g = groups.length;
          const ks = smallPerPort.items(list);
          groups.push(this.buildGroup([...new Set(ks.flatMap((k) => small[k]!))].sort((a, b) => a - b), stats, maxDfaCells));
          merged.set(list, g);
        }
        perPort.append(port, g);
      }
      // Ports sharing the same list of groups share one Int32Array.
      const table: (Int32Array | undefined)[] = new Array(65536).fill(undefined);
      const shared = new Map<number, Int32Array>();
      for (const port of perPort.ports) {
        const list = perPort.listOf[port]!;
        let arr = shared.get(list);
        if (arr === undefined) {
          arr = Int32Array.from(perPort.items(list));
          shared.set(list, arr);
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
    const needs = new Map<BufferName, number[]>();
    for (const i of ids) {
      const r = this.rules[i]!;
      const fp = r.fastPattern;
      if (fp !== undefined && !fp.negated && fp.bytes.length > 0) {
        pushTo(perBuffer, scanBufferOf(fp.buffer), i);
        stats.fp.add(i);
        continue;
      }
      stats.nfp.add(i);
      // DCE/RPC and SIP rules without a content: every TCP packet to a high port would try them, though
      // only units an inspector gave their buffer can match.
      if (r.requiredBuffer !== undefined) {
        pushTo(needs, r.requiredBuffer, i);
        continue;
      }
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
      const { patterns, members } = this.patternIds(rules, (i) => i);
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
    const nfp = ids.length - [...perBuffer.values()].reduce((a, l) => a + l.length, 0);
    const needsLists = [...needs].map(([buffer, rules]) => ({ buffer, rules: Int32Array.from(rules) }));
    return { id: this.nextGroupId++, matchers, srcIndex, dstIndex, always: Int32Array.from(always), v6: Int32Array.from(v6), needs: needsLists, nfp };
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
    this.loadPacket(pkt, pkt.ip);
    this.matched.length = 0;
    this.state.nowSec = this.pTs;
    // From here on the packet's fields are read from the copies (see pV4).
    const proto = this.pProto;
    const bucket = proto === IPPROTO.TCP ? BUCKET_TCP : proto === IPPROTO.UDP ? BUCKET_UDP : proto === IPPROTO.ICMP || proto === IPPROTO.ICMPV6 ? BUCKET_ICMP : -1;
    const b = bucket >= 0 ? bucket : BUCKET_IP;
    const bk = this.buckets[b]!;
    const dst = bk.byDst?.[this.pDstPort];
    const src = bk.bySrc?.[this.pSrcPort];
    // A flow whose service is known also runs its service's rules that the port groups did not hold.
    const svc = bucket === BUCKET_TCP || bucket === BUCKET_UDP ? this.pSvc : '';
    const sg = svc !== '' && this.serviceRules[bucket]!.has(svc) ? this.serviceGroup(bucket, svc, dst, src) : null;
    const slot = this.slotFor(b, bk, dst, src, sg);
    if (slot.plan !== undefined) this.runPlan(slot.plan, buffers);
    else {
      const before = this.counters.scannedBytes;
      const groups = slot.groups;
      for (let k = 0; k < groups.length; k++) this.runGroup(groups[k]!, buffers);
      if (!slot.settled) {
        slot.scanned += this.counters.scannedBytes - before;
        if (slot.scanned >= slot.threshold) this.buildPlan(slot);
      }
    }
    if (proto >= 0 && proto < 256) {
      const pb = this.byIpProto[proto];
      if (pb !== undefined) this.runBucket(pb, buffers);
    }
    this.pkt = undefined;
    this.buffers = undefined;
    if (this.matched.length === 0) return NO_EVENTS;
    return this.selectEvents(pkt);
  }

  /** Copies the packet fields candidates are checked against (see `pV4`). */
  private loadPacket(pkt: Packet, ip: Ipv4Info | Ipv6Info): void {
    if (ip.version === 4) {
      this.pV4 = true;
      this.pSrc4 = ip.src;
      this.pDst4 = ip.dst;
      this.pSrc6 = NO_V6;
      this.pDst6 = NO_V6;
    } else {
      this.pV4 = false;
      this.pSrc4 = 0;
      this.pDst4 = 0;
      this.pSrc6 = ip.src;
      this.pDst6 = ip.dst;
    }
    this.pProto = pkt.proto;
    this.pTs = pkt.raw.tsSec;
    this.pHasPorts = pkt.tcp !== undefined || pkt.udp !== undefined;
    this.pSrcPort = pkt.srcPort;
    this.pDstPort = pkt.dstPort;
    const flow = pkt.flow;
    this.pSvc = flow?.service ?? '';
    this.pEstablished = flow?.established ?? false;
    const dir = pkt.direction;
    this.pDir = dir === 'client' ? DIR_CLIENT : dir === 'server' ? DIR_SERVER : DIR_UNKNOWN;
    const section = pkt.section;
    this.pSection = section === undefined ? SECTION_NONE : section === 'body' ? SECTION_BODY : SECTION_HEADER;
  }

  /** The packet key's slot: its groups in the separate-pass order (destination, source, any, service). */
  private slotFor(b: number, bk: Bucket, dst: Int32Array | undefined, src: Int32Array | undefined, sg: RuleGroup | null): PlanSlot {
    const slot = this.slots[b]!.get(dst)?.get(src)?.get(sg);
    return slot !== undefined ? slot : this.newSlot(b, bk, dst, src, sg);
  }

  /** slotFor's first lookup of a key: kept apart so the per-packet lookup stays small. */
  private newSlot(b: number, bk: Bucket, dst: Int32Array | undefined, src: Int32Array | undefined, sg: RuleGroup | null): PlanSlot {
    const top = this.slots[b]!;
    let bySrc = top.get(dst);
    if (bySrc === undefined) top.set(dst, (bySrc = new Map()));
    let bySg = bySrc.get(src);
    if (bySg === undefined) bySrc.set(src, (bySg = new Map()));
    const groups: RuleGroup[] = [];
    if (dst !== undefined) for (let k = 0; k < dst.length; k++) groups.push(bk.groups[dst[k]!]!);
    if (src !== undefined) for (let k = 0; k < src.length; k++) groups.push(bk.groups[src[k]!]!);
    if (bk.any !== undefined) groups.push(bk.any);
    if (sg !== null) groups.push(sg);
    // A plan only pays when two groups search the same buffer; its cost is the states it would compile.
    const byBuffer = new Map<string, RuleGroup[]>();
    for (const g of groups) for (const m of g.matchers) pushTo(byBuffer, m.buffer, g);
    let shared = false;
    let states = 0;
    for (const [buffer, gs] of byBuffer) {
      if (gs.length < 2) continue;
      shared = true;
      if (this.merged.has(mergeKeyOf(buffer, gs))) continue;
      for (const g of gs) states += g.matchers.find((m) => m.buffer === buffer)!.matcher.stateCount;
    }
    const slot: PlanSlot = { groups, scanned: 0, threshold: Math.max(this.planHotBytes, states * this.planBytesPerState), plan: undefined, settled: !shared };
    this.slotCount++;
    bySg.set(sg, slot);
    if (shared && slot.threshold <= 0) this.buildPlan(slot);
    return slot;
  }

  /**
   * Gives a hot packet key one matcher per buffer over the fast patterns of all its groups. Merged matchers
   * are shared by every key with the same groups for a buffer; a buffer only one group searches keeps that
   * group's matcher. Past the memory budget the key keeps its separate passes.
   */
  private buildPlan(slot: PlanSlot): void {
    slot.settled = true;
    const t0 = performance.now();
    const byBuffer = new Map<string, { rank: number; phase: number; bm: BufferMatcher }[]>();
    slot.groups.forEach((g, rank) =>
      g.matchers.forEach((bm, phase) => {
        let list = byBuffer.get(bm.buffer);
        if (list === undefined) byBuffer.set(bm.buffer, (list = []));
        list.push({ rank, phase, bm });
      }),
    );
    // The budget is checked on the estimate (a merge is about the size of its parts) before compiling.
    let estimate = 0;
    for (const [buffer, srcs] of byBuffer) {
      if (srcs.length > 1 && !this.merged.has(mergeKey(buffer, slot.groups, srcs))) for (const s of srcs) estimate += s.bm.matcher.byteSize;
    }
    if (this.mergedBytes + estimate > this.planMaxBytes) return;
    const passes: PlanPass[] = [];
    for (const [buffer, srcs] of byBuffer) {
      const key = mergeKey(buffer, slot.groups, srcs);
      let mm = this.merged.get(key);
      if (mm === undefined) {
        mm = srcs.length === 1 ? ownMatcher(srcs[0]!.bm) : this.mergeMatchers(srcs.map((s) => s.bm));
        this.merged.set(key, mm);
        this.mergedBytes += mm.bytes;
      }
      passes.push({ buffer, merged: mm, order: Int32Array.from(srcs, (s) => s.rank * ORDER_RANK + s.phase) });
    }
    const nfpGroups: RuleGroup[] = [];
    const nfpOrder: number[] = [];
    slot.groups.forEach((g, rank) => {
      if (g.nfp > 0) {
        nfpGroups.push(g);
        nfpOrder.push(rank * ORDER_RANK + g.matchers.length);
      }
    });
    slot.plan = { passes, nfpGroups, nfpOrder: Int32Array.from(nfpOrder) };
    this.planCount++;
    this.compileMs += performance.now() - t0;
  }

  /**
   * Pattern ids for a matcher: rules whose fast patterns are equal once folded share one id; `members[id]`
   * lists the items (in the given order) whose rule has that pattern.
   */
  private patternIds<T>(items: readonly T[], ruleOf: (item: T) => number): { patterns: PatternInput[]; members: T[][] } {
    const idOf = new Map<string, number>();
    const members: T[][] = [];
    const patterns: PatternInput[] = [];
    for (const item of items) {
      const bytes = this.rules[ruleOf(item)]!.fastPattern!.bytes;
      const key = foldedKey(bytes);
      let id = idOf.get(key);
      if (id === undefined) {
        id = members.length;
        idOf.set(key, id);
        members.push([]);
        patterns.push({ bytes, id });
      }
      members[id]!.push(item);
    }
    return { patterns, members };
  }

  /** One matcher over several groups' fast patterns for a buffer; pattern ids and rule lists as buildGroup makes them. */
  private mergeMatchers(sources: BufferMatcher[]): MergedMatcher {
    const entries: { rule: number; source: number }[] = [];
    sources.forEach((bm, source) => {
      for (const rule of bm.ruleIds) entries.push({ rule, source });
    });
    // Ascending rule numbers within a pattern id, as in each group's own matcher.
    entries.sort((a, b) => a.rule - b.rule);
    const { patterns, members } = this.patternIds(entries, (e) => e.rule);
    const matcher = compileMatcher(patterns, { maxDfaCells: this.maxDfaCells });
    const ruleStart = new Int32Array(members.length + 1);
    const ruleIds = new Int32Array(entries.length);
    const source = new Uint16Array(entries.length);
    let total = 0;
    members.forEach((list, k) => {
      ruleStart[k] = total;
      for (const e of list) {
        ruleIds[total] = e.rule;
        source[total] = e.source;
        total++;
      }
    });
    ruleStart[members.length] = total;
    return { matcher, ruleStart, ruleIds, source, bytes: matcher.byteSize + ruleStart.byteLength + ruleIds.byteLength + source.byteLength };
  }

  /** Merged-plan figures so far. */
  get planStats(): PlanStats {
    let merged = 0;
    for (const mm of this.merged.values()) if (mm.bytes > 0) merged++;
    return { keys: this.slotCount, plans: this.planCount, mergedMatchers: merged, mergedBytes: this.mergedBytes, compileMs: this.compileMs };
  }

  /** The service group for a packet's port-group lists (see `serviceGroups`); null when empty. */
  private serviceGroup(bucket: number, svc: string, dst: Int32Array | undefined, src: Int32Array | undefined): RuleGroup | null {
    // The packet's direction is part of the key: rules for the other direction (flow:to_server on a reply)
    // stay out, so a reply does not scan every request rule of its service.
    const byDir = this.serviceGroups[bucket]!.get(svc);
    const bySrc = byDir?.[this.pDir]!.get(dst);
    const g = bySrc?.get(src);
    return g !== undefined ? g : this.newServiceGroup(bucket, svc, dst, src);
  }

  /** serviceGroup's first lookup of a key: kept apart so the per-packet lookup stays small. */
  private newServiceGroup(bucket: number, svc: string, dst: Int32Array | undefined, src: Int32Array | undefined): RuleGroup | null {
    const dir = this.pDir;
    const perSvc = this.serviceGroups[bucket]!;
    let byDir = perSvc.get(svc);
    if (byDir === undefined) perSvc.set(svc, (byDir = [new Map(), new Map(), new Map()]));
    const byDst = byDir[dir]!;
    let bySrc = byDst.get(dst);
    if (bySrc === undefined) byDst.set(dst, (bySrc = new Map()));
    let g: RuleGroup | null | undefined;
    const srcPort = this.pSrcPort;
    const dstPort = this.pDstPort;
    // Ports sharing a port-group list reach the same rules, so this packet's ports decide for all of them.
    const ids = this.serviceRules[bucket]!.get(svc)!.filter((i) => {
      const r = this.rules[i]!;
      const fr = r.flow;
      if (fr !== undefined && !fr.stateless && ((dir === DIR_CLIENT && fr.toClient) || (dir === DIR_SERVER && fr.toServer))) return false;
      const byDstPort = !r.dstPorts.any && portCount(r.dstPorts.ranges) <= MAX_GROUP_PORTS;
      return byDstPort ? !r.dstPorts.matches(dstPort) : !r.srcPorts.matches(srcPort);
    });
    if (ids.length === 0) g = null;
    else {
      const key = ids.join(',');
      g = this.serviceGroupsByRules.get(key);
      if (g === undefined) {
        const stats: BuildStats = { groups: 0, fp: new Set(), nfp: new Set(), indexed: new Set(), states: 0, dense: 0, sparse: 0 };
        g = this.buildGroup(ids, stats, this.maxDfaCells);
        this.serviceGroupsByRules.set(key, g);
      }
    }
    bySrc.set(src, g);
    return g;
  }

  /** Runs a plan: one pass per buffer, the address-indexed parts, then the deferred stateful rules in order. */
  private runPlan(plan: ScanPlan, buffers: InspectionBuffers): void {
    this.seq = 0;
    const passes = plan.passes;
    for (let k = 0; k < passes.length; k++) {
      const pass = passes[k]!;
      const data = buffers.get(pass.buffer);
      if (data === undefined || data.length === 0) continue;
      this.counters.scannedBytes += data.length;
      const mm = pass.merged;
      this.curStarts = mm.ruleStart;
      this.curIds = mm.ruleIds;
      this.curSource = mm.source;
      this.curOrder = pass.order;
      mm.matcher.scan(data, this.onPlanPattern);
    }
    const groups = plan.nfpGroups;
    for (let r = 0; r < groups.length; r++) {
      const g = groups[r]!;
      const key = plan.nfpOrder[r]!;
      const always = g.always;
      for (let k = 0; k < always.length; k++) this.consider(always[k]!, key);
      if (g.needs.length > 0) this.considerNeeds(g, key, buffers);
      if (this.pV4) {
        this.curKey = key + 1;
        g.srcIndex.lookup(this.pSrc4, this.onPlanCandidate);
        this.curKey = key + 2;
        g.dstIndex.lookup(this.pDst4, this.onPlanCandidate);
      } else {
        const v6 = g.v6;
        for (let k = 0; k < v6.length; k++) this.consider(v6[k]!, key + 1);
      }
    }
    if (this.deferRules.length > 0) this.runDeferred();
  }

  /** A plan's candidate: stateful rules wait for runDeferred, the others are evaluated now (their order is not observable). */
  private consider(i: number, key: number): void {
    if (this.stamp[i] === this.gen) return;
    this.stamp[i] = this.gen;
    if (this.stateful[i] === 0) this.evaluate(i);
    else {
      this.deferRules.push(i);
      this.deferKeys.push(key * ORDER_SEQ + this.seq++);
    }
  }

  /** Evaluates the deferred stateful rules by order key: the order the separate passes would have tried them. */
  private runDeferred(): void {
    const rules = this.deferRules;
    const keys = this.deferKeys;
    // Insertion sort: a packet defers a handful of rules.
    for (let a = 1; a < rules.length; a++) {
      const r = rules[a]!;
      const k = keys[a]!;
      let b = a - 1;
      for (; b >= 0 && keys[b]! > k; b--) {
        rules[b + 1] = rules[b]!;
        keys[b + 1] = keys[b]!;
      }
      rules[b + 1] = r;
      keys[b + 1] = k;
    }
    for (let a = 0; a < rules.length; a++) this.evaluate(rules[a]!);
    rules.length = 0;
    keys.length = 0;
  }

  private runBucket(b: Bucket, buffers: InspectionBuffers): void {
    if (b.byDst !== undefined) {
      const gs = b.byDst[this.pDstPort];
      if (gs !== undefined) for (let k = 0; k < gs.length; k++) this.runGroup(b.groups[gs[k]!]!, buffers);
    }
    if (b.bySrc !== undefined) {
      const gs = b.bySrc[this.pSrcPort];
      if (gs !== undefined) for (let k = 0; k < gs.length; k++) this.runGroup(b.groups[gs[k]!]!, buffers);
    }
    if (b.any !== undefined) this.runGroup(b.any, buffers);
  }

  private runGroup(g: RuleGroup, buffers: InspectionBuffers): void {
    for (const m of g.matchers) {
      const data = buffers.get(m.buffer);
      if (data === undefined || data.length === 0) continue;
      this.counters.scannedBytes += data.length;
      this.curStarts = m.ruleStart;
      this.curIds = m.ruleIds;
      m.matcher.scan(data, this.onPattern);
    }
    const always = g.always;
    for (let k = 0; k < always.length; k++) this.tryRule(always[k]!);
    if (g.needs.length > 0) this.tryNeeds(g, buffers);
    if (this.pV4) {
      g.srcIndex.lookup(this.pSrc4, this.onCandidate);
      g.dstIndex.lookup(this.pDst4, this.onCandidate);
    } else {
      const v6 = g.v6;
      for (let k = 0; k < v6.length; k++) this.tryRule(v6[k]!);
    }
  }

  /** The group's rules that need a buffer, those whose buffer the unit has (separate passes). */
  private tryNeeds(g: RuleGroup, buffers: InspectionBuffers): void {
    for (const n of g.needs) {
      if (buffers.get(n.buffer) === undefined) continue;
      for (let k = 0; k < n.rules.length; k++) this.tryRule(n.rules[k]!);
    }
  }

  /** tryNeeds for a plan: in the `always` rules' place of the evaluation order. */
  private considerNeeds(g: RuleGroup, key: number, buffers: InspectionBuffers): void {
    for (const n of g.needs) {
      if (buffers.get(n.buffer) === undefined) continue;
      for (let k = 0; k < n.rules.length; k++) this.consider(n.rules[k]!, key);
    }
  }

  private tryRule(i: number): void {
    if (this.stamp[i] === this.gen) return;
    this.stamp[i] = this.gen;
    this.evaluate(i);
  }

  /** A candidate's header, service and flow checks, then its options (the rule is stamped already). */
  private evaluate(i: number): void {
    const r = this.rules[i]!;
    // An HTTP body section re-offers the message's header buffers only to rules that also read the body,
    // and a response offers its request's URI and method only to rules that read the response too
    // (Snort 3 evaluates a rule in one section of a transaction).
    if (this.pSection !== SECTION_NONE) {
      const scope = this.httpScope[i]!;
      if (scope !== 0 && ((this.pSection === SECTION_BODY && (scope & 1) !== 0) || (this.pDir === DIR_SERVER && (scope & 2) !== 0))) return;
    }
    // A rule whose `service` the flow carries is service-based: its ports are not tested (Snort 3).
    // Suricata always tests the header's ports (`alert http ... -> any 443` is HTTP on port 443 only).
    const svc = this.pSvc;
    const services = r.services;
    const hasService = svc !== '' && services.length > 0 && services.includes(svc);
    if (!this.headerAllows(r, !hasService || r.syntax === 'suricata')) return;
    if (this.serviceHeader[i] === 1) {
      // A service header (`alert http`) needs the flow's service.
      if (svc === '' || !(svc === r.proto || hasService)) return;
    } else if (services.length > 0 && svc !== '' && !hasService) {
      // `service:` on a transport header only excludes flows known to carry another service (ports decide otherwise), as Snort 3.
      return;
    }
    // The rule's `flow:` requirement is a pure test of the packet: checking it here saves a
    // matchRule call for every packet going the wrong way (the option itself still runs in order).
    const fr = r.flow;
    if (fr !== undefined && !fr.stateless) {
      // The same test as the `flow` option (rules/options/flow.ts).
      if ((fr.established && !this.pEstablished) || (fr.notEstablished && this.pEstablished)) return;
      if ((fr.toServer && this.pDir !== DIR_CLIENT) || (fr.toClient && this.pDir !== DIR_SERVER)) return;
    }
    const pkt = this.pkt!;
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
    if (df !== undefined && !this.filters.detectionFilter(r.gid, r.sid, df, addrKey(this.pV4 ? this.pSrc4 : this.pSrc6), addrKey(this.pV4 ? this.pDst4 : this.pDst6), this.pTs)) return;
    this.counters.matches++;
    this.matchCounts[i]!++;
    this.matched.push(i);
  }

  /** `headerMatches` on the fields loadPacket copied. */
  private headerAllows(r: Rule, checkPorts: boolean): boolean {
    const ports = checkPorts && this.pHasPorts;
    if (this.pV4) {
      if (side4(r.src, r.srcPorts, this.pSrc4, this.pSrcPort, ports) && side4(r.dst, r.dstPorts, this.pDst4, this.pDstPort, ports)) return true;
      if (!r.bidirectional) return false;
      return side4(r.src, r.srcPorts, this.pDst4, this.pDstPort, ports) && side4(r.dst, r.dstPorts, this.pSrc4, this.pSrcPort, ports);
    }
    if (sideMatches(r.src, r.srcPorts, this.pSrc6, this.pSrcPort, ports) && sideMatches(r.dst, r.dstPorts, this.pDst6, this.pDstPort, ports)) return true;
    if (!r.bidirectional) return false;
    return sideMatches(r.src, r.srcPorts, this.pDst6, this.pDstPort, ports) && sideMatches(r.dst, r.dstPorts, this.pSrc6, this.pSrcPort, ports);
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
      const decision = this.filters.check(r.gid, r.sid, r.action, this.thresholds[i], this.pV4 ? this.pSrc4 : this.pSrc6, this.pV4 ? this.pDst4 : this.pDst6, this.pTs);
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

/** A number outside the small-integer range, to give a field the double representation from the start. */
const NOT_SMI = 2 ** 32 - 1;

/** The IPv6 address fields' value for an IPv4 packet (the fields keep one type). */
const NO_V6 = new Uint8Array(16);
/** Packet directions (Detector.pDir), also the index of a service's per-direction group maps. */
const DIR_UNKNOWN = 0;
const DIR_CLIENT = 1;
const DIR_SERVER = 2;
const SECTION_NONE = 0;
const SECTION_HEADER = 1;
const SECTION_BODY = 2;


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

/**
 * The buffer a fast pattern is searched in: 'raw_data' patterns join the 'pkt_data' matcher, since both
 * buffers hold the same bytes (see InspectionBuffers). One pass instead of two over every payload; the
 * rule's own content option still checks its real buffer.
 */
export function scanBufferOf(buffer: BufferName): BufferName {
  return buffer === 'raw_data' ? 'pkt_data' : buffer;
}

/** A fast pattern folded as the matcher folds it (ASCII only), as a map key: equal keys share a pattern id. */
function foldedKey(bytes: Uint8Array): string {
  let s = '';
  for (let k = 0; k < bytes.length; k++) s += String.fromCharCode(FOLD[bytes[k]!]!);
  return s;
}

/** Cache key of a merged matcher: the buffer and its source groups, in order. */
function mergeKeyOf(buffer: string, sources: readonly RuleGroup[]): string {
  let key = buffer;
  for (const g of sources) key += `|${g.id}`;
  return key;
}

function mergeKey(buffer: string, groups: readonly RuleGroup[], srcs: readonly { rank: number }[]): string {
  return mergeKeyOf(
    buffer,
    srcs.map((s) => groups[s.rank]!),
  );
}

/** A group's own matcher seen as a merge of one source (nothing compiled, no memory added). */
function ownMatcher(bm: BufferMatcher): MergedMatcher {
  return { matcher: bm.matcher, ruleStart: bm.ruleStart, ruleIds: bm.ruleIds, source: new Uint16Array(bm.ruleIds.length), bytes: 0 };
}

/**
 * Per port, a list of numbers built by appending (the groups of a port), each distinct list named by a
 * number: list 0 is empty, and appending v to list l gives the same list number wherever it is done,
 * so two ports have equal lists exactly when they have the same list number.
 */
class ListIds {
  /** List number of each port (0: empty). */
  readonly listOf = new Int32Array(65536);
  /** Ports in the order they got their first item. */
  readonly ports: number[] = [];
  private readonly parent: number[] = [0];
  private readonly last: number[] = [-1];
  private readonly next = new Map<number, number>();

  append(port: number, value: number): void {
    const l = this.listOf[port]!;
    if (l === 0) this.ports.push(port);
    // Values are group or set numbers (< 2^21): the key is exact while lists number under 2^32.
    const key = l * 2097152 + value;
    let n = this.next.get(key);
    if (n === undefined) {
      n = this.parent.length;
      this.parent.push(l);
      this.last.push(value);
      this.next.set(key, n);
    }
    this.listOf[port] = n;
  }

  appendToPorts(ranges: Uint16Array, value: number): void {
    for (let i = 0; i < ranges.length; i += 2) for (let p = ranges[i]!; p <= ranges[i + 1]!; p++) this.append(p, value);
  }

  /** The values of list l, in append order. */
  items(l: number): number[] {
    const out: number[] = [];
    for (; l !== 0; l = this.parent[l]!) out.push(this.last[l]!);
    return out.reverse();
  }
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** One side of a rule header against an IPv4 address and port. */
function side4(addrs: AddressSet, ports: PortSet, ip: number, port: number, hasPorts: boolean): boolean {
  if (!addrs.any && !addrs.matchesV4(ip)) return false;
  if (hasPorts && !ports.any && !ports.matches(port)) return false;
  return true;
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
