/**
 * The rule stage's public contract: what `loadRules` produces and what `matchRule` consumes.
 * The detect stage (ids-detect) codes against these types only.
 *
 * Parsed rules are immutable; per-packet scratch state lives in an `EvalState` owned by the caller
 * (one per packet thread), per-flow state lives on the flow (`FlowState.bits`).
 */
import type { BufferName, RuleAction } from '../types.js';

/** Variable name (without `$`) -> its raw text (`[10.0.0.0/8,!10.1.0.0/16]`, `80:90`, `$HOME_NET`). */
export type VariableTable = Map<string, string>;

/**
 * A set of IP addresses from a rule header or variable, with negations, ranges and nested lists resolved.
 * IPv4 is normalised into sorted, merged, inclusive `[start, end]` uint32 ranges (after negation), so the
 * detect stage can build an address index from `v4Ranges` alone.
 */
export interface AddressSet {
  /** True when the set matches every IPv4 and IPv6 address (`any`, or a negation of nothing). */
  readonly any: boolean;
  /** Sorted, non-overlapping inclusive ranges: [s0, e0, s1, e1, ...] as unsigned 32-bit values. */
  readonly v4Ranges: Uint32Array;
  /** True when every IPv6 address matches (e.g. `!$HOME_NET` with an IPv4-only HOME_NET). */
  readonly v6All: boolean;
  /** True when the set was written as a negation at its top level (`!$HOME_NET`), for display/indexing hints. */
  readonly negated: boolean;
  /** The text as written in the rule (before variable expansion). */
  readonly text: string;
  /** Number of IPv4 ranges (v4Ranges.length / 2). */
  readonly v4Count: number;
  /** Membership test for an IPv4 address (uint32). */
  matchesV4(ip: number): boolean;
  /** Membership test for a 16-byte IPv6 address. */
  matchesV6(ip: Uint8Array): boolean;
  /** Membership test for either family (number = IPv4, Uint8Array = IPv6). */
  matches(ip: number | Uint8Array): boolean;
}

/** A set of ports (inclusive ranges after negation), e.g. `$HTTP_PORTS`, `!80`, `[1024:,!6000:6010]`. */
export interface PortSet {
  readonly any: boolean;
  /** Sorted, non-overlapping inclusive ranges [s0, e0, s1, e1, ...]. */
  readonly ranges: Uint16Array;
  readonly negated: boolean;
  readonly text: string;
  matches(port: number): boolean;
}

/** The pattern the multi-pattern prefilter should search for to select this rule. */
export interface FastPattern {
  /** Buffer the pattern must be found in ('pkt_data', 'http_uri', 'http_header', ...). */
  readonly buffer: BufferName;
  /** Pattern bytes (already lower-cased when `nocase`). */
  readonly bytes: Uint8Array;
  readonly nocase: boolean;
  /**
   * `fast_pattern:only` (Snort 2) — the content need not be re-checked after the prefilter hit.
   * The rule's options still include it, so evaluating it again is correct, just redundant.
   */
  readonly only: boolean;
  /**
   * True when the content is negated (`content:!"x"`): a prefilter hit does NOT select the rule; such a
   * rule must be evaluated without prefilter. Rules whose only contents are negated have `fastPattern`
   * undefined, so detection only sees this flag on explicit `fast_pattern` of a negated content (rare).
   */
  readonly negated: boolean;
  /** Index of the content option in `Rule.options` it came from. */
  readonly optionIndex: number;
}

/** `flow:` requirements, exposed so detection can pre-filter by direction/state. */
export interface FlowRequirement {
  readonly established: boolean;
  readonly notEstablished: boolean;
  readonly stateless: boolean;
  /** to_server / from_client. */
  readonly toServer: boolean;
  /** to_client / from_server. */
  readonly toClient: boolean;
  readonly onlyStream: boolean;
  readonly noStream: boolean;
  readonly onlyFrag: boolean;
  readonly noFrag: boolean;
}

export type FlowbitsCommand = 'set' | 'unset' | 'toggle' | 'isset' | 'isnotset' | 'noalert' | 'setx' | 'reset';

/** One `flowbits:` option. `bits` holds the names; `any` is true for `a|b` (any of), false for `a&b`/single. */
export interface FlowbitsOp {
  readonly command: FlowbitsCommand;
  readonly bits: readonly string[];
  readonly any: boolean;
  /** Group name for `setx`/`reset` and Snort 2 group arguments. */
  readonly group: string | undefined;
}

/** `threshold:` (and `event_filter` in a threshold file uses the same shape). */
export interface ThresholdConfig {
  readonly type: 'limit' | 'threshold' | 'both';
  readonly track: 'by_src' | 'by_dst';
  readonly count: number;
  readonly seconds: number;
}

/** `detection_filter:` — the rule only alerts after `count` matches within `seconds` per tracked address. */
export interface DetectionFilterConfig {
  readonly track: 'by_src' | 'by_dst';
  readonly count: number;
  readonly seconds: number;
}

/** `tag:` (session/host tagging of following packets). */
export interface TagConfig {
  readonly type: 'session' | 'host';
  readonly count: number;
  readonly metric: 'packets' | 'seconds' | 'bytes';
  readonly direction: 'src' | 'dst' | undefined;
}

export interface RuleReference {
  readonly system: string;
  readonly id: string;
}

/** Which dialect a rule was written in (detected per file). */
export type RuleSyntax = 'snort2' | 'snort3' | 'suricata';

/** A compiled option instance inside a rule, in rule order. Opaque to detection except for name/buffer. */
export interface RuleOptionInstance {
  /** Option name as written by users ('content', 'pcre', 'byte_test', 'flow'...). */
  readonly name: string;
  /** Buffer the option inspects ('pkt_data' by default); undefined for non-buffer options (ttl, flow...). */
  readonly buffer: BufferName | undefined;
  /** Canonical key of its parsed config (equal keys = identical options; used to share/merge). */
  readonly key: string;
}

/** A loaded rule. */
export interface Rule {
  readonly action: RuleAction;
  /**
   * Header protocol as written: 'tcp', 'udp', 'icmp', 'ip', or a service name for Snort 3 / Suricata
   * service headers ('http', 'dns', 'tls', 'smtp', 'ftp', 'ssh', 'smb', 'file'...).
   */
  readonly proto: string;
  /** IP protocol number to match (6, 17, 1, or -1 for any IP protocol, incl. ICMPv6 rules for icmp=1|58). */
  readonly ipProto: number;
  /** True for a header-less Snort 3 rule (`alert http (...)` sets services; `alert (...)` matches any). */
  readonly headerless: boolean;
  readonly src: AddressSet;
  readonly srcPorts: PortSet;
  readonly dst: AddressSet;
  readonly dstPorts: PortSet;
  /** `<>` rules match in both directions. */
  readonly bidirectional: boolean;
  readonly gid: number;
  readonly sid: number;
  readonly rev: number;
  readonly msg: string;
  readonly classtype: string | undefined;
  /** From `priority:`, else the classtype's priority (classification.config), else 0 as Snort prints it. */
  readonly priority: number;
  readonly references: readonly RuleReference[];
  /** metadata key -> values (`policy` may appear several times). */
  readonly metadata: ReadonlyMap<string, readonly string[]>;
  /** `service:` values, plus the header service for service headers ('http'...). Empty when none. */
  readonly services: readonly string[];
  readonly fastPattern: FastPattern | undefined;
  readonly flow: FlowRequirement | undefined;
  readonly flowbits: readonly FlowbitsOp[];
  /** True when `flowbits:noalert` (or Suricata `noalert`) is present: the rule sets bits but never alerts. */
  readonly noalert: boolean;
  readonly threshold: ThresholdConfig | undefined;
  readonly detectionFilter: DetectionFilterConfig | undefined;
  readonly tag: TagConfig | undefined;
  /** Buffers the rule inspects (so detection can skip rules whose buffers are absent). */
  readonly buffers: readonly BufferName[];
  /**
   * A buffer the rule cannot match without: the first option that reads an inspector's buffer by name
   * (dce_iface, dce_opnum, sip_method, sip_stat_code), or undefined.
   */
  readonly requiredBuffer: BufferName | undefined;
  /** Options in rule order. */
  readonly options: readonly RuleOptionInstance[];
  readonly syntax: RuleSyntax;
  /**
   * Where the rule was written. Its source text is not kept: nothing after loading reads it, and for ET
   * it was 14.5 MB (the rule files stayed in memory through slices of their text).
   */
  readonly file: string;
  readonly line: number;
}

/** A rule that could not be loaded, or a bad line in a rule file. */
export interface RuleLoadError {
  readonly file: string;
  readonly line: number;
  /** Human-readable reason ("unknown option 'ja4.hash'", "undefined variable $FOO"...). */
  readonly reason: string;
  /** Stable reason class for totals: 'unknown-option', 'bad-option', 'undefined-variable', 'syntax', 'pcre', 'io', 'duplicate'. */
  readonly kind: RuleLoadErrorKind;
  /** IDS_* error code. */
  readonly code: string;
  readonly sid: number | undefined;
}

export type RuleLoadErrorKind =
  | 'unknown-option'
  | 'bad-option'
  | 'undefined-variable'
  | 'bad-variable'
  | 'syntax'
  | 'pcre'
  | 'io'
  | 'duplicate'
  | 'unsupported';

export interface RuleLoadStats {
  readonly files: number;
  readonly lines: number;
  /** Rules seen (enabled, i.e. not commented out). */
  readonly total: number;
  readonly loaded: number;
  readonly failed: number;
  /** Commented-out rules seen (`# alert ...`): not loaded, counted. */
  readonly disabled: number;
  /** Failure count per RuleLoadErrorKind and per detailed reason ("unknown option ja3_hash"). */
  readonly byKind: Readonly<Record<string, number>>;
  readonly byReason: Readonly<Record<string, number>>;
  /** Number of pcre options that run on the bounded JavaScript fallback instead of RE2. */
  readonly pcreFallback: number;
  readonly durationMs: number;
}

export interface RuleSource {
  /** A rule file (relative includes resolve against its directory). */
  readonly path?: string;
  /** Inline rule text (used by tests and `--var`-style one-liners); `name` labels it in errors. */
  readonly text?: string;
  readonly name?: string;
}

export interface LoadRulesOptions {
  /** classification.config to read (classtype -> priority). Standard Snort classtypes are built in. */
  readonly classificationPath?: string;
  /** Extra classtypes (name -> priority), e.g. from a config file. */
  readonly classtypes?: ReadonlyMap<string, number>;
  /** Force the dialect instead of detecting it per file. */
  readonly syntax?: RuleSyntax;
  /** Keep duplicate gid:sid rules (default: the later one wins like Snort, the earlier is reported). */
  readonly keepDuplicates?: boolean;
  readonly signal?: AbortSignal;
  /** Progress: number of files done / total known so far. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface LoadRulesResult {
  readonly rules: Rule[];
  readonly errors: RuleLoadError[];
  readonly stats: RuleLoadStats;
}

/**
 * Per-thread scratch state for `matchRule`: byte_extract variables, cursors, the PCRE fallback budget.
 * Create one with `createEvalState()` and reuse it for every rule and packet (no allocation per evaluation).
 */
export interface EvalState {
  /** byte_extract / byte_math results by slot. */
  readonly vars: Float64Array;
  /** Backtracking steps left for the current rule evaluation (reset by matchRule). */
  budget: number;
  /** Count of evaluations cut short by a budget or the PCRE fallback time limit (for stats). */
  truncated: number;
  /** Packet time in seconds (for tag/threshold users); set by the caller if needed. */
  nowSec: number;
  /**
   * xbits set on hosts / host pairs (Suricata `xbits: ... track ip_src|ip_dst|ip_pair`): key -> expiry
   * time in seconds (Infinity without `expire`). Lives here because it spans flows; one per packet thread.
   */
  readonly hostBits: Map<string, number>;
}
