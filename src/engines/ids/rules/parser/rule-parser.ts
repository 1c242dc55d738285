/**
 * Parses one rule (header + options) into a compiled rule. Snort 2.9, Snort 3 and Suricata dialects.
 * Errors are returned (never thrown) with a reason and a kind for the load report.
 */
import { err, ok, type Result } from '../../../../core/result.js';
import type { RuleAction } from '../../types.js';
import type { MatchContext, OptionDef, ParseContext, RuleBuilder, ModifiableOp } from '../options/types.js';
import { opKindOf } from '../op-kind.js';
import { optionRegistry } from '../options/index.js';
import { parseAddressSet, parsePortSet } from '../variables.js';
import type {
  AddressSet,
  DetectionFilterConfig,
  FastPattern,
  FlowbitsOp,
  FlowRequirement,
  RuleReference,
  TagConfig,
  ThresholdConfig,
  PortSet,
  Rule,
  RuleLoadErrorKind,
  RuleOptionInstance,
  RuleSyntax,
  VariableTable,
} from '../types.js';
import { isRelativeContent, type ContentCfg } from '../options/content.js';
import type { PcreCfg } from '../options/pcre.js';
import { detached } from '../options/search.js';
import { RuleMetadata } from '../options/metadata.js';

/** Actions by name; the value is the one shared string every rule of that action keeps. */
const ACTIONS = new Map<string, RuleAction>((['alert', 'log', 'pass', 'drop', 'sdrop', 'reject', 'block', 'rewrite'] as const).map((a) => [a, a]));

/** Shared empty lists for the many rules without references, flowbits, services...: one object instead of one per rule. */
const NONE: readonly never[] = Object.freeze([]);
const NO_METADATA: ReadonlyMap<string, readonly string[]> = new Map();

/** Header protocols: IP protocol number and implied service. */
const PROTOCOLS: Readonly<Record<string, { ipProto: number; service?: string }>> = {
  tcp: { ipProto: 6 },
  udp: { ipProto: 17 },
  icmp: { ipProto: 1 },
  ip: { ipProto: -1 },
  'tcp-pkt': { ipProto: 6 },
  'tcp-stream': { ipProto: 6 },
  http: { ipProto: 6, service: 'http' },
  http1: { ipProto: 6, service: 'http' },
  http2: { ipProto: 6, service: 'http2' },
  tls: { ipProto: 6, service: 'ssl' },
  ssl: { ipProto: 6, service: 'ssl' },
  ftp: { ipProto: 6, service: 'ftp' },
  'ftp-data': { ipProto: 6, service: 'ftp-data' },
  smtp: { ipProto: 6, service: 'smtp' },
  imap: { ipProto: 6, service: 'imap' },
  pop3: { ipProto: 6, service: 'pop3' },
  ssh: { ipProto: 6, service: 'ssh' },
  smb: { ipProto: 6, service: 'netbios-ssn' },
  dcerpc: { ipProto: -1, service: 'dcerpc' },
  dns: { ipProto: -1, service: 'dns' },
  sip: { ipProto: -1, service: 'sip' },
  krb5: { ipProto: -1, service: 'kerberos' },
  nfs: { ipProto: -1, service: 'nfs' },
  dhcp: { ipProto: 17, service: 'dhcp' },
  snmp: { ipProto: 17, service: 'snmp' },
  tftp: { ipProto: 17, service: 'tftp' },
  ntp: { ipProto: 17, service: 'ntp' },
  modbus: { ipProto: 6, service: 'modbus' },
  dnp3: { ipProto: 6, service: 'dnp3' },
  enip: { ipProto: -1, service: 'enip' },
  rdp: { ipProto: 6, service: 'rdp' },
  rfb: { ipProto: 6, service: 'rfb' },
  mqtt: { ipProto: 6, service: 'mqtt' },
  file: { ipProto: -1, service: 'file' },
};

export interface RuleParseError {
  readonly reason: string;
  readonly kind: RuleLoadErrorKind;
  readonly sid: number | undefined;
}

/** One compiled option in evaluation order (internal to the rules stage). */
export interface CompiledOp extends RuleOptionInstance {
  readonly def: OptionDef;
  readonly cfg: unknown;
  /** Buffer key: buffer name plus transform ('dns_query|dotprefix'); undefined for non-buffer options. */
  readonly bufKey: string | undefined;
  readonly transform: string | undefined;
  readonly retry: boolean;
  /** How matchRule calls it (OP_CONTENT, OP_PCRE... or OP_OTHER for `evalFn`), see rules/op-kind.ts. */
  readonly kind: number;
  /** `def.eval` (or a no-match for options without one), read from one object shape instead of ~150. */
  readonly evalFn: (cfg: unknown, m: MatchContext) => boolean;
}

/** A parsed rule with its compiled options (what matchRule evaluates). */
export interface CompiledRule extends Rule {
  readonly ops: readonly CompiledOp[];
  /** Options that run before any buffer option (header-like checks: flow, ttl...), for cheap rejection. */
  readonly hasPostMatchFlowbits: boolean;
  /** Options with an onMatch side effect (xbits setters), run after a full match. */
  readonly onMatch: readonly CompiledOp[];
}

function isRelativeOp(name: string, cfg: unknown): boolean {
  if (name === 'content' || name === 'uricontent') return isRelativeContent(cfg as ContentCfg);
  return (cfg as { relative?: unknown } | null)?.relative === true;
}

/** Pending ops are `match` options, which all have `eval`; this keeps `evalFn` a function regardless. */
function noMatch(): boolean {
  return false;
}

/**
 * A compiled option; its key (only needed to merge or display options) is computed when asked. While
 * the rule is built it is also the draft that Snort 2 modifiers change (buffer, cfg), so a match option
 * is one object from parse to evaluation; `bufKey` and `retry` are set when the rule is finished.
 */
class Op implements CompiledOp, ModifiableOp {
  bufKey: string | undefined = undefined;
  retry = false;
  readonly kind: number;
  readonly evalFn: (cfg: unknown, m: MatchContext) => boolean;
  constructor(
    readonly def: OptionDef,
    public cfg: unknown,
    public buffer: string | undefined,
    public transform: string | undefined,
  ) {
    this.kind = opKindOf(def);
    this.evalFn = def.eval ?? noMatch;
  }
  // Computed when asked, not stored: ET keeps 100,000 options, and the name and key are read only
  // while the detector is built or an option is displayed.
  get name(): string {
    return this.def.name;
  }
  get key(): string {
    return `${this.def.name}:${this.def.key(this.cfg)}`;
  }
}

/** The rule being built: a class, since an object literal with a closure and a getter per rule costs more. */
class Builder implements RuleBuilder {
  msg: string | undefined = undefined;
  gid: number | undefined = undefined;
  sid: number | undefined = undefined;
  rev: number | undefined = undefined;
  classtype: string | undefined = undefined;
  priority: number | undefined = undefined;
  readonly references: RuleReference[] = [];
  private meta: RuleMetadata | undefined = undefined;
  readonly services: string[];
  flow: FlowRequirement | undefined = undefined;
  readonly flowbits: FlowbitsOp[] = [];
  noalert = false;
  threshold: ThresholdConfig | undefined = undefined;
  detectionFilter: DetectionFilterConfig | undefined = undefined;
  tag: TagConfig | undefined = undefined;
  stickyBuffer: string | undefined = undefined;
  stickyTransform: string | undefined = undefined;
  /** The last content/uricontent (what Snort 2 modifiers change). */
  lastContentOp: Op | undefined = undefined;
  previousWasContent = false;
  /** The match options in rule order. */
  readonly ops: Op[] = [];
  constructor(
    readonly syntax: RuleSyntax,
    readonly ctx: ParseContext,
    service: string | undefined,
  ) {
    this.services = service ? [service] : [];
  }
  lastModifiable(): ModifiableOp | undefined {
    return this.lastContentOp;
  }
  /** Created by the first metadata / target option: most rule sets' rules (ET's) have none. */
  get metadata(): RuleMetadata {
    return (this.meta ??= new RuleMetadata());
  }
  /** The rule's metadata, or undefined when no option set any. */
  metadataIfAny(): RuleMetadata | undefined {
    return this.meta;
  }
}

/**
 * Bounds of the option texts of the rule being parsed: [start, end) pairs, blanks trimmed. One array
 * reused for every rule (parseRule does not nest): no string is cut until an option is read.
 */
let bounds = new Int32Array(256);

/**
 * Finds the options of `text` between `from` and `to` (`a; b:"x;y"; c;`): semicolons outside quotes end
 * an option (a backslash escapes the next character). Writes their trimmed bounds into `bounds` and
 * returns how many, or the reason the list is malformed.
 */
function findOptions(text: string, from: number, to: number): number | string {
  let count = 0;
  let start = from;
  let inQuote = false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \\ */) {
      i++;
      continue;
    }
    if (c === 0x22 /* " */) inQuote = !inQuote;
    else if (c === 0x3b /* ; */ && !inQuote) {
      let s = start;
      let e = i;
      while (s < e && isSpace(text.charCodeAt(s))) s++;
      while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
      if (s < e) {
        if (2 * count + 2 > bounds.length) {
          const bigger = new Int32Array(bounds.length * 2);
          bigger.set(bounds);
          bounds = bigger;
        }
        bounds[2 * count] = s;
        bounds[2 * count + 1] = e;
        count++;
      }
      start = i + 1;
    }
  }
  if (inQuote) return 'a quoted string is not closed';
  const tail = text.slice(start, to).trim();
  if (tail !== '') return `the last option ${JSON.stringify(tail.slice(0, 40))} is not terminated by ;`;
  return count;
}

/** What a regular expression's `\s` matches. */
export function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Splits the header at whitespace, keeping bracketed lists (which may contain spaces) together. */
function splitHeader(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b) depth++;
    else if (c === 0x5d) depth--;
    if (depth <= 0 && isSpace(c)) {
      if (start >= 0) out.push(text.slice(start, i));
      start = -1;
    } else if (start < 0) start = i;
  }
  if (start >= 0) out.push(text.slice(start));
  return out;
}

/** Cache of parsed address/port texts for one load (variables like $HOME_NET repeat in every rule). */
export interface HeaderCache {
  readonly addresses: Map<string, Result<AddressSet>>;
  readonly ports: Map<string, Result<PortSet>>;
  /** Short strings many rules repeat (classtype), kept once. */
  readonly strings: Map<string, string>;
}

export function createHeaderCache(): HeaderCache {
  return { addresses: new Map(), ports: new Map(), strings: new Map() };
}

function interned(text: string, cache: HeaderCache): string {
  const known = cache.strings.get(text);
  if (known !== undefined) return known;
  const kept = detached(text);
  cache.strings.set(kept, kept);
  return kept;
}

function cachedAddress(text: string, vars: VariableTable, cache: HeaderCache): Result<AddressSet> {
  let r = cache.addresses.get(text);
  if (!r) {
    // Detached: the set keeps its text, which must not hold the rule file in memory.
    r = parseAddressSet(detached(text), vars);
    cache.addresses.set(text, r);
  }
  return r;
}

function cachedPort(text: string, vars: VariableTable, cache: HeaderCache): Result<PortSet> {
  let r = cache.ports.get(text);
  if (!r) {
    r = parsePortSet(detached(text), vars);
    cache.ports.set(text, r);
  }
  return r;
}

function variableKind(reason: string): RuleLoadErrorKind {
  return reason.includes('undefined variable') ? 'undefined-variable' : 'bad-variable';
}

const SID_RE = /(?:^|;)\s*sid\s*:\s*(\d+)/;

/**
 * Detects the dialect of one rule text when the file's dialect is not known.
 *
 * @example
 * detectSyntax('alert http (msg:"x"; sid:1;)'); // 'snort3'
 */
export function detectSyntax(text: string): RuleSyntax | undefined {
  if (/^\s*[a-z]+\s+(?:[a-z0-9-]+\s*)?\(/.test(text)) return 'snort3'; // header-less rule
  if (/content:\s*!?"(?:[^"\\]|\\.)*"\s*,/.test(text) || /[(;]\s*service\s*:/.test(text)) return 'snort3';
  if (/[(;]\s*(?:http\.|dns\.query|tls\.|file\.data|bsize|endswith|startswith|dotprefix)/.test(text) || /^\s*\w+\s+(?:http|dns|tls)\s/.test(text))
    return 'suricata';
  return undefined;
}

export interface ParseRuleInput {
  readonly text: string;
  readonly file: string;
  readonly line: number;
  readonly syntax: RuleSyntax;
  readonly vars: VariableTable;
  readonly cache: HeaderCache;
  readonly classtypes: ReadonlyMap<string, number>;
}

/**
 * Why the rule being parsed failed. The steps below return undefined on failure after setting these
 * (parseRule does not nest), so the success path allocates no error value and no closure.
 */
let failReason = '';
let failKind: RuleLoadErrorKind = 'syntax';

function failed(reason: string, kind: RuleLoadErrorKind): undefined {
  failReason = reason;
  failKind = kind;
  return undefined;
}

/** The header of the rule being parsed; one object reused for every rule (copied into the rule). */
const header = {
  action: 'alert' as RuleAction,
  protoName: 'ip',
  proto: PROTOCOLS.ip!,
  headerless: false,
  bidirectional: false,
  src: undefined as AddressSet | undefined,
  srcPorts: undefined as PortSet | undefined,
  dst: undefined as AddressSet | undefined,
  dstPorts: undefined as PortSet | undefined,
};

/** Reads the header (`action proto src sport -> dst dport`, or Snort 3's `action [proto]`) into `header`. */
function parseHeader(input: ParseRuleInput, open: number): boolean {
  const { text } = input;
  const head = splitHeader(text.slice(0, open));
  const action = head[0] === undefined ? undefined : ACTIONS.get(head[0]);
  if (!action) return failed(`unknown action ${JSON.stringify(head[0] ?? '')}`, 'syntax') ?? false;
  header.action = action;
  header.bidirectional = false;
  if (head.length === 1 || head.length === 2) {
    if (input.syntax === 'snort2') return failed('a Snort 2 rule needs a full header (proto src sport -> dst dport)', 'syntax') ?? false;
    header.headerless = true;
    header.protoName = head[1] ?? 'ip';
    const any = cachedAddress('any', input.vars, input.cache);
    const anyPort = cachedPort('any', input.vars, input.cache);
    if (!any.ok || !anyPort.ok) return failed('internal: any did not parse', 'syntax') ?? false;
    header.src = header.dst = any.value;
    header.srcPorts = header.dstPorts = anyPort.value;
  } else if (head.length === 7) {
    header.headerless = false;
    header.protoName = head[1]!;
    const dir = head[4];
    if (dir === '<>') header.bidirectional = true;
    else if (dir !== '->') {
      if (dir === '<-') return failed('"<-" is not a valid direction; write the rule with "->"', 'syntax') ?? false;
      return failed(`bad direction ${JSON.stringify(dir)} (expected -> or <>)`, 'syntax') ?? false;
    }
    const s = cachedAddress(head[2]!, input.vars, input.cache);
    if (!s.ok) return failed(`source address: ${s.error}`, variableKind(s.error)) ?? false;
    const sp = cachedPort(head[3]!, input.vars, input.cache);
    if (!sp.ok) return failed(`source port: ${sp.error}`, variableKind(sp.error)) ?? false;
    const d = cachedAddress(head[5]!, input.vars, input.cache);
    if (!d.ok) return failed(`destination address: ${d.error}`, variableKind(d.error)) ?? false;
    const dp = cachedPort(head[6]!, input.vars, input.cache);
    if (!dp.ok) return failed(`destination port: ${dp.error}`, variableKind(dp.error)) ?? false;
    header.src = s.value;
    header.srcPorts = sp.value;
    header.dst = d.value;
    header.dstPorts = dp.value;
  } else return failed(`bad header ${JSON.stringify(text.slice(0, open).trim())}: expected "action proto src sport -> dst dport"`, 'syntax') ?? false;
  const proto = PROTOCOLS[header.protoName.toLowerCase()];
  if (!proto) return failed(`unknown protocol ${JSON.stringify(header.protoName)}`, 'unsupported') ?? false;
  header.proto = proto;
  return true;
}

/**
 * Options by name in an open-addressing table, looked up straight from the rule text (no name string is
 * cut per option). Same names and definitions as `optionRegistry`.
 */
const OPTION_SLOTS = (() => {
  let size = 64;
  while (size < optionRegistry.size * 4) size *= 2;
  return size;
})();
const optionTable: (OptionDef | undefined)[] = new Array<OptionDef | undefined>(OPTION_SLOTS).fill(undefined);

function nameHash(text: string, s: number, e: number): number {
  let h = e - s;
  for (let i = s; i < e; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h & (OPTION_SLOTS - 1);
}

for (const def of optionRegistry.list()) {
  let i = nameHash(def.name, 0, def.name.length);
  while (optionTable[i] !== undefined) i = (i + 1) & (OPTION_SLOTS - 1);
  optionTable[i] = def;
}

/** The option named by text[s, e), or undefined. */
function optionAt(text: string, s: number, e: number): OptionDef | undefined {
  const n = e - s;
  for (let i = nameHash(text, s, e); ; i = (i + 1) & (OPTION_SLOTS - 1)) {
    const def = optionTable[i];
    if (def === undefined) return undefined;
    if (def.name.length === n && text.startsWith(def.name, s)) return def;
  }
}

/** Parses the options found by findOptions (bounds[0 .. 2 * count)) into a builder. */
function parseOptions(text: string, count: number, syntax: RuleSyntax, service: string | undefined): Builder | undefined {
  const ctx: ParseContext = { syntax, byteVars: new Map() };
  const b = new Builder(syntax, ctx, service);
  for (let k = 0; k < count; k++) {
    // `args` cut straight from the rule text, trimmed by index (no intermediate strings).
    const s = bounds[2 * k]!;
    const e = bounds[2 * k + 1]!;
    let colon = text.indexOf(':', s);
    if (colon >= e) colon = -1;
    let nameEnd = colon < 0 ? e : colon;
    while (nameEnd > s && isSpace(text.charCodeAt(nameEnd - 1))) nameEnd--;
    const def = optionAt(text, s, nameEnd);
    if (!def) {
      const name = text.slice(s, nameEnd);
      return failed(`unknown option ${JSON.stringify(name)}`, /^[a-z][\w.-]*$/i.test(name) ? 'unknown-option' : 'syntax');
    }
    let args: string | undefined;
    if (colon >= 0) {
      let a = colon + 1;
      while (a < e && isSpace(text.charCodeAt(a))) a++;
      args = text.slice(a, e);
    }
    if (!applyOption(b, def, args)) return undefined;
  }
  return b;
}

/** Parses one option and applies it to the rule being built; false (with the reason set) when it fails. */
function applyOption(b: Builder, def: OptionDef, args: string | undefined): boolean {
  const name = def.name;
  // A pcre keeps its source text: detached, so that it does not keep the rule file in memory.
  const parsed = def.parse(name === 'pcre' && args !== undefined ? detached(args) : args, b.ctx);
  if (!parsed.ok) return failed(`${name}: ${parsed.error}`, name === 'pcre' ? 'pcre' : 'bad-option') ?? false;
  if (def.kind === 'match') {
    const usesBuffer = def.usesBuffer === true;
    const op = new Op(def, parsed.value, usesBuffer ? (b.stickyBuffer ?? 'pkt_data') : undefined, usesBuffer ? b.stickyTransform : undefined);
    const contentLike = name === 'content' || name === 'uricontent';
    if (name === 'uricontent') op.buffer = 'http_uri';
    else if (name === 'pcre' && (parsed.value as PcreCfg).buffer) op.buffer = (parsed.value as PcreCfg).buffer;
    if (def.apply) {
      const e = def.apply(parsed.value, b);
      if (e) return failed(e, 'bad-option') ?? false;
    }
    b.ops.push(op);
    // Snort 2 modifiers (nocase, distance...) change the last content, even after a pcre in between.
    if (contentLike) b.lastContentOp = op;
    b.previousWasContent = contentLike;
  } else {
    const e = def.apply!(parsed.value, b);
    if (e) return failed(e, 'bad-option') ?? false;
    if (def.kind === 'buffer') b.previousWasContent = false;
  }
  return true;
}

/** Finishes the match options (validation, precompiling, sharing) and decides which may be retried. */
function finishOps(ops: Op[]): boolean {
  for (const op of ops) {
    // The `rawbytes` modifier reads the packet bytes before any normalisation.
    if (op.name === 'content' && (op.cfg as ContentCfg).rawbytes) op.buffer = 'raw_data';
    const def = op.def;
    if (def.finish) {
      const e = def.finish(op.cfg, op.buffer ?? '');
      if (e) return failed(`${op.name}: ${e}`, 'bad-option') ?? false;
    }
    if (def.share) op.cfg = def.share(op.cfg);
    op.bufKey = op.buffer === undefined ? undefined : op.transform ? `${op.buffer}|${op.transform}` : op.buffer;
    op.retry = def.retryable ? def.retryable(op.cfg) : false;
  }
  // Retrying a content/pcre at its next occurrence only helps when a later option in the same buffer is
  // relative to it (Snort: "if the next option isn't relative and it failed, we're done").
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (!op.retry) continue;
    let useful = false;
    for (let j = i + 1; j < ops.length && !useful; j++) {
      const o = ops[j]!;
      if (o.bufKey === op.bufKey && isRelativeOp(o.name, o.cfg)) useful = true;
    }
    if (!useful) op.retry = false;
  }
  return true;
}

function hasPostMatchFlowbits(flowbits: readonly FlowbitsOp[]): boolean {
  for (const f of flowbits) if (f.command === 'set' || f.command === 'unset' || f.command === 'toggle' || f.command === 'setx' || f.command === 'reset') return true;
  return false;
}

function uniqueServices(services: readonly string[]): readonly string[] {
  if (services.length === 0) return NONE;
  if (services.length === 1) return services.slice();
  return [...new Set(services)];
}

/** The rule from the parsed header (in `header`) and options. */
function makeRule(input: ParseRuleInput, b: Builder): CompiledRule {
  // Lists the rule keeps are copied to their exact length: an array grown by push has room for 17
  // elements (152 bytes), which on ET was 48,000 arrays and 7 MB of the rules heap.
  const ops: readonly Op[] = b.ops.length === 0 ? NONE : b.ops.slice();
  let buffers: readonly string[] = NONE;
  for (const o of ops) if (o.buffer !== undefined && !buffers.includes(o.buffer)) buffers = buffers === NONE ? [o.buffer] : [...buffers, o.buffer];
  let requiredBuffer: string | undefined;
  for (const o of ops) if (requiredBuffer === undefined && o.def.requires !== undefined) requiredBuffer = o.def.requires;
  let onMatch: readonly CompiledOp[] = NONE;
  for (const o of ops) if (o.def.onMatch !== undefined) onMatch = onMatch === NONE ? [o] : [...onMatch, o];
  // Snort prints [Priority: 0] for a rule with neither priority nor classtype.
  const priority = b.priority ?? (b.classtype !== undefined ? (input.classtypes.get(b.classtype) ?? 0) : 0);
  return {
    action: header.action,
    proto: header.protoName.toLowerCase(),
    ipProto: header.proto.ipProto,
    headerless: header.headerless,
    src: header.src!,
    srcPorts: header.srcPorts!,
    dst: header.dst!,
    dstPorts: header.dstPorts!,
    bidirectional: header.bidirectional,
    gid: b.gid ?? 1,
    sid: b.sid!,
    rev: b.rev ?? 1,
    msg: b.msg ?? '',
    classtype: b.classtype === undefined ? undefined : interned(b.classtype, input.cache),
    priority,
    references: b.references.length === 0 ? NONE : b.references.slice(),
    metadata: b.metadataIfAny() ?? NO_METADATA,
    services: uniqueServices(b.services),
    fastPattern: chooseFastPattern(ops),
    flow: b.flow,
    flowbits: b.flowbits.length === 0 ? NONE : b.flowbits.slice(),
    noalert: b.noalert,
    threshold: b.threshold,
    detectionFilter: b.detectionFilter,
    tag: b.tag,
    buffers,
    requiredBuffer,
    options: ops,
    ops,
    onMatch,
    hasPostMatchFlowbits: hasPostMatchFlowbits(b.flowbits),
    syntax: input.syntax,
    file: input.file,
    line: input.line,
  };
}

/** The error result for the rule being parsed; its sid is looked for in the text only for the report. */
function ruleError(text: string): Result<CompiledRule, RuleParseError> {
  const sidMatch = SID_RE.exec(text);
  return err({ reason: failReason, kind: failKind, sid: sidMatch ? Number(sidMatch[1]) : undefined });
}

/**
 * Parses and compiles one rule. Never throws on bad input.
 *
 * @example
 * const r = parseRule({ text: 'alert tcp any any -> any 80 (msg:"x"; content:"GET"; sid:1;)', file: 'inline', line: 1,
 *   syntax: 'snort2', vars: new Map(), cache: createHeaderCache(), classtypes: new Map() });
 */
export function parseRule(input: ParseRuleInput): Result<CompiledRule, RuleParseError> {
  const { text } = input;
  const open = text.indexOf('(');
  if (open < 0) return failed('no option list: a rule needs "(...)"', 'syntax') ?? ruleError(text);
  const close = text.lastIndexOf(')');
  if (close < open) return failed('the option list is not closed with ")"', 'syntax') ?? ruleError(text);
  for (let i = close + 1; i < text.length; i++) {
    if (!isSpace(text.charCodeAt(i))) return failed(`text after the closing ")": ${JSON.stringify(text.slice(close + 1, close + 41).trim())}`, 'syntax') ?? ruleError(text);
  }
  if (!parseHeader(input, open)) return ruleError(text);
  const count = findOptions(text, open + 1, close);
  if (typeof count === 'string') return failed(count, 'syntax') ?? ruleError(text);
  const b = parseOptions(text, count, input.syntax, header.proto.service);
  if (!b) return ruleError(text);
  if (b.sid === undefined) return failed('the rule has no sid', 'bad-option') ?? ruleError(text);
  if (!finishOps(b.ops)) return ruleError(text);
  if (b.classtype !== undefined && !input.classtypes.has(b.classtype)) return failed(`unknown classtype ${JSON.stringify(b.classtype)}`, 'bad-option') ?? ruleError(text);
  return ok(makeRule(input, b));
}

/**
 * Snort's fast-pattern choice: an explicit `fast_pattern` content wins; otherwise the longest positive
 * content, preferring a specific buffer (http_uri...) over pkt_data on a tie. Negated contents are used
 * only when explicitly marked. Contents on transformed buffers are not usable by the prefilter.
 */
export function chooseFastPattern(ops: readonly CompiledOp[]): FastPattern | undefined {
  let best: { op: CompiledOp; index: number; c: ContentCfg } | undefined;
  let explicit: { op: CompiledOp; index: number; c: ContentCfg } | undefined;
  ops.forEach((op, index) => {
    if (op.name !== 'content' && op.name !== 'uricontent') return;
    if (op.transform !== undefined) return;
    const c = op.cfg as ContentCfg;
    if (c.fastPattern && !explicit) explicit = { op, index, c };
    if (c.negated) return;
    if (
      !best ||
      c.pattern.length > best.c.pattern.length ||
      (c.pattern.length === best.c.pattern.length && best.op.buffer === 'pkt_data' && op.buffer !== 'pkt_data')
    )
      best = { op, index, c };
  });
  const pick = explicit ?? best;
  if (!pick) return undefined;
  const c = pick.c;
  const compiled = c.compiled!.bytes;
  const from = c.fpLength > 0 ? c.fpOffset : 0;
  const length = c.fpLength > 0 ? c.fpLength : compiled.length;
  return {
    buffer: pick.op.buffer ?? 'pkt_data',
    // The compiled pattern itself (read-only from here on) when the whole content is the fast pattern,
    // else a view of it: no copy, and no view object for most rules (a typed array is ~100 bytes).
    bytes: from === 0 && length === compiled.length ? compiled : new Uint8Array(compiled.buffer, compiled.byteOffset + from, length),
    nocase: c.nocase,
    only: c.fpOnly,
    negated: c.negated,
    optionIndex: pick.index,
  };
}
