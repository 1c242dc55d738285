/**
 * The rule-option plugin contract (Snort's IpsOption: params + help, parse, key, eval).
 *
 * Kinds:
 * - `meta`: rule data (msg, sid, reference...) — `apply` writes it into the builder; no eval.
 * - `buffer`: sticky buffer selection (`http.uri;`, `file_data;`) — later payload options read that buffer.
 * - `modifier`: changes the previous content/pcre (`nocase;`, `depth:4;`, Snort 2 `http_uri;`).
 * - `match`: evaluated per packet, in rule order, with Snort's cursor semantics (`content`, `byte_test`, `ttl`).
 *
 * `parse` never throws: garbage arguments give `err(reason)`.
 */
import type { Result } from '../../../../core/result.js';
import type { InspectionBuffers, Packet } from '../../types.js';
import type {
  DetectionFilterConfig,
  EvalState,
  FlowRequirement,
  FlowbitsOp,
  RuleReference,
  RuleSyntax,
  TagConfig,
  ThresholdConfig,
} from '../types.js';

export type OptionKind = 'meta' | 'buffer' | 'modifier' | 'match';

/** One documented parameter of an option (drives help and reference docs). */
export interface OptionParam {
  readonly name: string;
  readonly type: 'string' | 'int' | 'enum' | 'flag' | 'list' | 'expr';
  readonly help: string;
  readonly values?: readonly string[];
}

/** What an option's parse can see: the dialect and byte_extract variable names seen so far. */
export interface ParseContext {
  readonly syntax: RuleSyntax;
  /** byte_extract/byte_math variable name -> slot in EvalState.vars. */
  readonly byteVars: Map<string, number>;
}

/** Per-evaluation cursor state handed to `match` options. One instance per EvalState, reused. */
export interface MatchContext {
  pkt: Packet;
  buffers: InspectionBuffers;
  /** Current buffer bytes. */
  buf: Uint8Array;
  /** The same bytes as a Buffer view (for native indexOf / RE2). */
  view: Buffer;
  /** Snort's cursor: the position just after the last match in the current buffer. */
  cursor: number;
  /** When retrying a content/pcre after a later option failed: its next match must start at >= minStart (else -1). */
  minStart: number;
  /** Start of the last content/pcre match (so a retry can begin after it). */
  lastStart: number;
  /**
   * Latin-1 string of `strBuf` from `strFrom` (built lazily for pcre and reused by every rule that runs a
   * pcre on the same buffer of the same packet), or undefined.
   */
  str: string | undefined;
  /** Output of the last base64_decode in this evaluation (the `base64_data` buffer), or undefined. */
  decoded: Uint8Array | undefined;
  strFrom: number;
  strBuf: Uint8Array | undefined;
  strPkt: Packet | undefined;
  readonly state: EvalState;
}

/** Draft of a content-like option that modifiers can change until the rule is finished. */
export interface ModifiableOp {
  readonly name: string;
  /** The config object (mutable while the rule is being built). */
  cfg: unknown;
  buffer: string | undefined;
  /** Buffer transform ('dotprefix'...) in effect. */
  transform: string | undefined;
}

/** The rule being built, as options see it. */
export interface RuleBuilder {
  readonly syntax: RuleSyntax;
  readonly ctx: ParseContext;
  msg: string | undefined;
  gid: number | undefined;
  sid: number | undefined;
  rev: number | undefined;
  classtype: string | undefined;
  priority: number | undefined;
  readonly references: RuleReference[];
  /** The rule's metadata: option texts in rule order (read into pairs when first asked), `set` replaces a key. */
  readonly metadata: { addText(text: string): void; set(key: string, values: string[]): void };
  readonly services: string[];
  flow: FlowRequirement | undefined;
  readonly flowbits: FlowbitsOp[];
  noalert: boolean;
  threshold: ThresholdConfig | undefined;
  detectionFilter: DetectionFilterConfig | undefined;
  tag: TagConfig | undefined;
  /** The sticky buffer currently selected (undefined = pkt_data). */
  stickyBuffer: string | undefined;
  /** Transform applied to the sticky buffer (dotprefix). */
  stickyTransform: string | undefined;
  /** The last content/pcre/uricontent op (what Snort 2 modifiers change), or undefined. */
  lastModifiable(): ModifiableOp | undefined;
  /** True when the option directly before this one is a content-like op (so `http_uri;` is a modifier). */
  readonly previousWasContent: boolean;
}

/** A rule option plugin. */
export interface OptionDef<C = unknown> {
  readonly name: string;
  readonly help: string;
  readonly params: readonly OptionParam[];
  readonly kind: OptionKind;
  parse(args: string | undefined, ctx: ParseContext): Result<C>;
  /** Canonical text of a config: equal keys mean identical options. */
  key(cfg: C): string;
  /** meta / buffer / modifier options: change the rule being built; returns an error message or undefined. */
  apply?(cfg: C, b: RuleBuilder): string | undefined;
  /** match options: evaluate against the packet at the cursor. */
  eval?(cfg: C, m: MatchContext): boolean;
  /** match options that read a buffer (content, pcre, byte_*...): they take the sticky buffer. */
  readonly usesBuffer?: boolean;
  /**
   * match options that read an inspector's buffer by name (dce_iface reads 'dce_iface'): the option
   * cannot match on a unit without that buffer, so detection tries the rule only when the unit has it.
   */
  readonly requires?: string;
  /** content/pcre: may be retried at a later position when a later relative option fails (backtracking). */
  readonly retryable?: (cfg: C) => boolean;
  /** match options with side effects (xbits set): run once the whole rule has matched. */
  onMatch?(cfg: C, m: MatchContext): void;
  /** Called once the rule's options are all parsed: validate and precompile. Returns an error or undefined. */
  finish?(cfg: C, buffer: string): string | undefined;
  /**
   * After finish: an equal config built earlier in the same load, to keep one object for many rules
   * (configs are immutable once finished), or `cfg` itself.
   */
  share?(cfg: C): C;
}

/**
 * Erases the config type so heterogeneous options fit one registry.
 *
 * @example
 * export const ttl = defineOption<Comparison>({ name: 'ttl', kind: 'match', help: '...', params: [], parse, key, eval });
 */
export function defineOption<C>(def: OptionDef<C>): OptionDef<unknown> {
  return def as unknown as OptionDef<unknown>;
}
