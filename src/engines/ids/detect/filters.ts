/**
 * Event filtering per Snort's semantics (sfthd): `threshold`/`event_filter`, `suppress`,
 * `rate_filter`, and the rule option `detection_filter`. Counting uses packet timestamps (seconds),
 * so a pcap replays the same way whatever the wall clock.
 *
 * Threshold file lines are accepted in Snort 2 form
 *   `event_filter gen_id 1, sig_id 2000, type limit, track by_src, count 1, seconds 60`
 *   `threshold gen_id 1, sig_id 2000, type both, track by_dst, count 5, seconds 30`
 *   `suppress gen_id 1, sig_id 2000, track by_src, ip 10.0.0.0/8`
 *   `rate_filter gen_id 1, sig_id 2000, track by_src, count 10, seconds 1, new_action drop, timeout 10`
 * and in Snort 3 Lua table form (`event_filter = { { gid = 1, sid = 2000, type = 'limit', ... } }`).
 */
import { AppError } from '../../../core/errors.js';
import type { RuleAction } from '../types.js';

export type TrackBy = 'by_src' | 'by_dst' | 'by_rule';

export interface EventFilterSpec {
  readonly gid: number;
  /** 0 = every sid of the gid (a global filter, counted per sid). */
  readonly sid: number;
  readonly type: 'limit' | 'threshold' | 'both';
  readonly track: 'by_src' | 'by_dst';
  /** -1 disables filtering for this sid (Snort's way of exempting one sid from a global filter). */
  readonly count: number;
  readonly seconds: number;
}

export interface SuppressSpec {
  readonly gid: number;
  readonly sid: number;
  readonly track: 'by_src' | 'by_dst' | undefined;
  /** IPv4 ranges [s, e, ...] the suppression applies to; undefined = all addresses. */
  readonly v4: Uint32Array | undefined;
  /** IPv6 prefixes. */
  readonly v6: readonly { bytes: Uint8Array; bits: number }[] | undefined;
}

export interface RateFilterSpec {
  readonly gid: number;
  readonly sid: number;
  readonly track: TrackBy;
  readonly count: number;
  readonly seconds: number;
  readonly newAction: RuleAction;
  readonly timeout: number;
}

export interface ThresholdFileContent {
  readonly eventFilters: EventFilterSpec[];
  readonly suppressions: SuppressSpec[];
  readonly rateFilters: RateFilterSpec[];
}

interface CountNode {
  count: number;
  prev: number;
  tstart: number;
  tlast: number;
}

interface RateNode {
  count: number;
  tstart: number;
  /** Packet time until which the new action applies (0 = not active). */
  until: number;
}

/** Address key for tracking maps: IPv4 as its number, IPv6 as hex. */
export type AddrKey = number | string;

/** Converts a packet address to a tracking key. */
export function addrKey(ip: number | Uint8Array | undefined): AddrKey {
  if (ip === undefined) return 0;
  if (typeof ip === 'number') return ip;
  return Buffer.from(ip.buffer, ip.byteOffset, ip.byteLength).toString('hex');
}

/** Upper bound on tracked (sid, address) nodes; the oldest are dropped beyond it (Snort's memcap). */
const MAX_NODES = 200_000;

function boundedSet<K, V>(map: Map<K, V>, key: K, value: V): void {
  if (map.size >= MAX_NODES) {
    const first = map.keys().next();
    if (!first.done) map.delete(first.value);
  }
  map.set(key, value);
}

/**
 * Snort's per-node test (sfthd_test_non_suppress). `node.count` has already been incremented for
 * this event. Returns true when the event may be logged.
 */
function testNode(type: 'limit' | 'threshold' | 'both' | 'detect', limit: number, seconds: number, node: CountNode, now: number): boolean {
  const dt = now - node.tstart;
  switch (type) {
    case 'detect':
      if (dt >= seconds) {
        node.prev = now - node.tlast > seconds ? 0 : node.count - 1;
        node.tstart = now;
        node.count = 1;
      }
      node.tlast = now;
      return node.count > limit || node.prev > limit;
    case 'limit':
      if (dt >= seconds) {
        node.tstart = now;
        node.count = 1;
      }
      return node.count <= limit;
    case 'threshold':
      if (dt >= seconds) {
        node.tstart = now;
        node.count = 1;
      }
      if (node.count >= limit) {
        node.count = 0;
        node.tstart = now;
        return true;
      }
      return false;
    case 'both':
      if (dt >= seconds) {
        node.tstart = now;
        node.count = 1;
        // Snort logs "both" only once count is reached, which a fresh window cannot do unless count is 1.
        return false;
      }
      return node.count === limit;
  }
}

function bump(map: Map<string, CountNode>, key: string, now: number): CountNode {
  let node = map.get(key);
  if (node === undefined) {
    node = { count: 1, prev: 0, tstart: now, tlast: now };
    boundedSet(map, key, node);
  } else {
    node.count++;
  }
  return node;
}

/** What the filters decided for one event. */
export interface FilterDecision {
  readonly log: boolean;
  /** The action after rate_filter (may differ from the rule's). */
  readonly action: RuleAction;
}

/**
 * Holds threshold-file filters and rule thresholds, and the per-address counters.
 *
 * @example
 * const f = new EventFilters(parseThresholdFile(text, 'threshold.conf'));
 * const d = f.check(1, 2000, 'alert', undefined, src, dst, pkt.raw.tsSec);
 * if (d.log) log(event);
 */
export class EventFilters {
  private readonly eventFilters = new Map<string, EventFilterSpec>();
  private readonly globalFilters = new Map<number, EventFilterSpec>();
  private readonly suppressions = new Map<string, SuppressSpec[]>();
  private readonly rateFilters = new Map<string, RateFilterSpec>();
  private readonly counters = new Map<string, CountNode>();
  private readonly rates = new Map<string, RateNode>();
  private readonly detect = new Map<string, CountNode>();
  /** Events dropped by filters, for stats. */
  filtered = 0;
  suppressed = 0;

  constructor(content?: ThresholdFileContent) {
    for (const f of content?.eventFilters ?? []) {
      if (f.sid === 0) this.globalFilters.set(f.gid, f);
      else this.eventFilters.set(`${f.gid}:${f.sid}`, f);
    }
    for (const s of content?.suppressions ?? []) {
      const key = `${s.gid}:${s.sid}`;
      const list = this.suppressions.get(key) ?? [];
      list.push(s);
      this.suppressions.set(key, list);
    }
    for (const r of content?.rateFilters ?? []) this.rateFilters.set(`${r.gid}:${r.sid}`, r);
  }

  /**
   * `detection_filter` of a rule that has just matched: true when the rule may fire (its count has
   * been exceeded within the window for the tracked address).
   */
  detectionFilter(gid: number, sid: number, cfg: { track: 'by_src' | 'by_dst'; count: number; seconds: number }, src: AddrKey, dst: AddrKey, now: number): boolean {
    const ip = cfg.track === 'by_src' ? src : dst;
    const node = bump(this.detect, `${gid}:${sid}:${ip}`, now);
    return testNode('detect', cfg.count, cfg.seconds, node, now);
  }

  /**
   * Decides whether an event is logged: suppression first, then the event filter of the sid (a
   * threshold-file entry wins over the rule's own `threshold:` option), then the gid's global filter.
   */
  check(
    gid: number,
    sid: number,
    action: RuleAction,
    ruleThreshold: EventFilterSpec | undefined,
    src: number | Uint8Array | undefined,
    dst: number | Uint8Array | undefined,
    now: number,
  ): FilterDecision {
    const key = `${gid}:${sid}`;
    let finalAction = action;
    const rate = this.rateFilters.get(key) ?? this.rateFilters.get(`${gid}:0`);
    if (rate !== undefined) finalAction = this.applyRate(rate, key, action, src, dst, now);
    const sup = this.suppressions.get(key) ?? this.suppressions.get(`${gid}:0`);
    if (sup !== undefined) {
      for (const s of sup) {
        if (suppressMatches(s, src, dst)) {
          this.suppressed++;
          return { log: false, action: finalAction };
        }
      }
    }
    const filter = this.eventFilters.get(key) ?? ruleThreshold;
    if (filter !== undefined) {
      if (filter.count < 0) return { log: true, action: finalAction };
      const ip = addrKey(filter.track === 'by_src' ? src : dst);
      const node = bump(this.counters, `${key}:${filter.track}:${ip}`, now);
      const log = testNode(filter.type, filter.count, filter.seconds, node, now);
      if (!log) this.filtered++;
      return { log, action: finalAction };
    }
    const global = this.globalFilters.get(gid);
    if (global !== undefined && global.count >= 0) {
      const ip = addrKey(global.track === 'by_src' ? src : dst);
      const node = bump(this.counters, `${key}:g:${ip}`, now);
      const log = testNode(global.type, global.count, global.seconds, node, now);
      if (!log) this.filtered++;
      return { log, action: finalAction };
    }
    return { log: true, action: finalAction };
  }

  private applyRate(rate: RateFilterSpec, key: string, action: RuleAction, src: number | Uint8Array | undefined, dst: number | Uint8Array | undefined, now: number): RuleAction {
    const ip = rate.track === 'by_rule' ? 'r' : addrKey(rate.track === 'by_src' ? src : dst);
    const k = `${key}:${ip}`;
    let node = this.rates.get(k);
    if (node === undefined) {
      node = { count: 0, tstart: now, until: 0 };
      boundedSet(this.rates, k, node);
    }
    if (node.until > 0 && now < node.until) return rate.newAction;
    if (node.until > 0) {
      // The timeout has passed: start counting afresh.
      node.until = 0;
      node.count = 0;
      node.tstart = now;
    }
    if (now - node.tstart >= rate.seconds) {
      node.tstart = now;
      node.count = 0;
    }
    node.count++;
    if (node.count > rate.count) {
      node.until = now + rate.timeout;
      return rate.newAction;
    }
    return action;
  }
}

function suppressMatches(s: SuppressSpec, src: number | Uint8Array | undefined, dst: number | Uint8Array | undefined): boolean {
  if (s.track === undefined) return true;
  const ip = s.track === 'by_src' ? src : dst;
  if (ip === undefined) return false;
  if (typeof ip === 'number') {
    const r = s.v4;
    if (r === undefined) return s.v6 === undefined;
    for (let i = 0; i < r.length; i += 2) if (ip >= r[i]! && ip <= r[i + 1]!) return true;
    return false;
  }
  if (s.v6 === undefined) return s.v4 === undefined;
  return s.v6.some((p) => prefixMatches(p.bytes, p.bits, ip));
}

function prefixMatches(prefix: Uint8Array, bits: number, ip: Uint8Array): boolean {
  let i = 0;
  for (; bits >= 8; bits -= 8, i++) if (prefix[i] !== ip[i]) return false;
  if (bits === 0) return true;
  const mask = (0xff << (8 - bits)) & 0xff;
  return (prefix[i]! & mask) === (ip[i]! & mask);
}

// ---------------------------------------------------------------------------------------------
// Threshold file parsing
// ---------------------------------------------------------------------------------------------

/** A threshold file problem, with file:line. */
export interface ThresholdFileError {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
}

const ACTIONS: readonly RuleAction[] = ['alert', 'log', 'pass', 'drop', 'sdrop', 'reject', 'block', 'rewrite'];

/**
 * Parses a threshold file (Snort 2 lines or Snort 3 Lua tables). Bad entries are reported with
 * file:line and skipped; good ones are kept.
 *
 * @example
 * const { content, errors } = parseThresholdFile('suppress gen_id 1, sig_id 5\n', 'threshold.conf');
 */
export function parseThresholdFile(text: string, file: string): { content: ThresholdFileContent; errors: ThresholdFileError[] } {
  const content: ThresholdFileContent = { eventFilters: [], suppressions: [], rateFilters: [] };
  const errors: ThresholdFileError[] = [];
  const lines = text.split(/\r?\n/);
  // Snort 3 Lua form: `kind = { { k = v, ... }, { ... } }` possibly over several lines.
  let luaKind: string | undefined;
  let luaDepth = 0;
  let luaBuf = '';
  let luaLine = 0;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    const lineNo = i + 1;
    const hash = luaKind === undefined ? line.indexOf('#') : -1;
    if (hash >= 0) line = line.slice(0, hash);
    const dashes = line.indexOf('--');
    if (dashes >= 0 && (luaKind !== undefined || /^\s*(event_filter|suppress|rate_filter)\s*=/.test(line) || line.trim().startsWith('--'))) line = line.slice(0, dashes);
    if (luaKind === undefined) {
      const m = /^\s*(event_filter|suppress|rate_filter)\s*=\s*(.*)$/.exec(line);
      if (m) {
        luaKind = m[1]!;
        luaBuf = '';
        luaDepth = 0;
        luaLine = lineNo;
        line = m[2]!;
      }
    }
    if (luaKind !== undefined) {
      for (const ch of line) {
        if (ch === '{') {
          luaDepth++;
          if (luaDepth === 2) {
            luaBuf = '';
            luaLine = lineNo;
            continue;
          }
        } else if (ch === '}') {
          if (luaDepth === 2) addLua(luaKind, luaBuf, file, luaLine, content, errors);
          luaDepth--;
          if (luaDepth === 0) {
            luaKind = undefined;
            break;
          }
          continue;
        }
        if (luaDepth >= 2) luaBuf += ch;
      }
      continue;
    }
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const m = /^(threshold|event_filter|suppress|rate_filter)\s+(.*)$/.exec(trimmed);
    if (!m) {
      errors.push({ file, line: lineNo, reason: `unknown entry '${trimmed.split(/\s+/)[0]}' (expected threshold, event_filter, suppress or rate_filter)` });
      continue;
    }
    const fields = new Map<string, string>();
    let bad: string | undefined;
    for (const part of splitTopLevel(m[2]!)) {
      const p = part.trim();
      if (p === '') continue;
      const sp = p.search(/\s/);
      if (sp < 0) {
        bad = `'${p}' has no value`;
        break;
      }
      fields.set(p.slice(0, sp), p.slice(sp).trim());
    }
    if (bad !== undefined) {
      errors.push({ file, line: lineNo, reason: bad });
      continue;
    }
    const aliases: Record<string, string> = { gen_id: 'gid', sig_id: 'sid' };
    const norm = new Map<string, string>();
    for (const [k, v] of fields) norm.set(aliases[k] ?? k, v);
    addEntry(m[1] === 'threshold' ? 'event_filter' : m[1]!, norm, file, lineNo, content, errors);
  }
  if (luaKind !== undefined) errors.push({ file, line: luaLine, reason: `unterminated ${luaKind} table` });
  return { content, errors };
}

function addLua(kind: string, body: string, file: string, line: number, content: ThresholdFileContent, errors: ThresholdFileError[]): void {
  const fields = new Map<string, string>();
  for (const part of splitTopLevel(body)) {
    const p = part.trim();
    if (p === '') continue;
    const m = /^(\w+)\s*=\s*(.+)$/.exec(p);
    if (!m) {
      errors.push({ file, line, reason: `cannot read '${p}' (expected key = value)` });
      return;
    }
    fields.set(m[1]!, m[2]!.trim().replace(/^['"]|['"]$/g, ''));
  }
  addEntry(kind, fields, file, line, content, errors);
}

function addEntry(kind: string, f: Map<string, string>, file: string, line: number, content: ThresholdFileContent, errors: ThresholdFileError[]): void {
  const fail = (reason: string): void => {
    errors.push({ file, line, reason: `${kind}: ${reason}` });
  };
  const int = (key: string, min: number): number | undefined => {
    const v = f.get(key);
    if (v === undefined) return undefined;
    if (!/^-?\d+$/.test(v) || Number(v) < min) {
      fail(`${key} must be an integer >= ${min}, got '${v}'`);
      return Number.NaN;
    }
    return Number(v);
  };
  const gid = int('gid', 0);
  const sid = int('sid', 0);
  if (gid === undefined || sid === undefined) return fail('gen_id/gid and sig_id/sid are required');
  if (Number.isNaN(gid) || Number.isNaN(sid)) return;
  const track = f.get('track');
  if (kind === 'suppress') {
    if (track !== undefined && track !== 'by_src' && track !== 'by_dst') return fail(`track must be by_src or by_dst, got '${track}'`);
    const ipText = f.get('ip');
    if ((ipText === undefined) !== (track === undefined)) return fail('track and ip go together');
    let v4: Uint32Array | undefined;
    let v6: { bytes: Uint8Array; bits: number }[] | undefined;
    if (ipText !== undefined) {
      const parsed = parseIpList(ipText);
      if (typeof parsed === 'string') return fail(parsed);
      v4 = parsed.v4;
      v6 = parsed.v6;
    }
    content.suppressions.push({ gid, sid, track: track as 'by_src' | 'by_dst' | undefined, v4, v6 });
    return;
  }
  const count = int('count', -1);
  const seconds = int('seconds', 0);
  if (count === undefined || seconds === undefined) return fail('count and seconds are required');
  if (Number.isNaN(count) || Number.isNaN(seconds)) return;
  if (kind === 'event_filter') {
    const type = f.get('type');
    if (type !== 'limit' && type !== 'threshold' && type !== 'both') return fail(`type must be limit, threshold or both, got '${type ?? ''}'`);
    if (track !== 'by_src' && track !== 'by_dst') return fail(`track must be by_src or by_dst, got '${track ?? ''}'`);
    content.eventFilters.push({ gid, sid, type, track, count, seconds });
    return;
  }
  // rate_filter
  if (track !== 'by_src' && track !== 'by_dst' && track !== 'by_rule') return fail(`track must be by_src, by_dst or by_rule, got '${track ?? ''}'`);
  const newAction = f.get('new_action');
  if (newAction === undefined || !ACTIONS.includes(newAction as RuleAction)) return fail(`new_action must be one of ${ACTIONS.join(', ')}`);
  const timeout = int('timeout', 0);
  if (timeout === undefined || Number.isNaN(timeout)) return fail('timeout is required');
  content.rateFilters.push({ gid, sid, track, count, seconds, newAction: newAction as RuleAction, timeout });
}

/** Splits on commas outside brackets and quotes (ip lists hold commas). */
function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let cur = '';
  for (const ch of text) {
    if (quote !== '') {
      if (ch === quote) quote = '';
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '[') depth++;
    else if (ch === ']') depth = Math.max(0, depth - 1);
    else if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  out.push(cur);
  return out;
}

/** Parses `1.2.3.4`, `10.0.0.0/8`, `[a, b]` and IPv6 forms. Returns an error string on bad input. */
export function parseIpList(text: string): { v4: Uint32Array | undefined; v6: { bytes: Uint8Array; bits: number }[] | undefined } | string {
  const items = text.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter((s) => s !== '');
  if (items.length === 0) return 'ip list is empty';
  const v4: number[] = [];
  const v6: { bytes: Uint8Array; bits: number }[] = [];
  for (const item of items) {
    const [addr, bitsText] = item.split('/') as [string, string | undefined];
    if (addr.includes(':')) {
      const bytes = parseIpv6(addr);
      const bits = bitsText === undefined ? 128 : Number(bitsText);
      if (bytes === undefined || !Number.isInteger(bits) || bits < 0 || bits > 128) return `bad IPv6 address '${item}'`;
      v6.push({ bytes, bits });
      continue;
    }
    const parts = addr.split('.');
    const bits = bitsText === undefined ? 32 : Number(bitsText);
    if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255) || !Number.isInteger(bits) || bits < 0 || bits > 32) {
      return `bad IPv4 address '${item}'`;
    }
    const ip = parts.reduce((a, p) => a * 256 + Number(p), 0);
    const size = 2 ** (32 - bits);
    const start = Math.floor(ip / size) * size;
    v4.push(start, start + size - 1);
  }
  return { v4: v4.length > 0 ? Uint32Array.from(v4) : undefined, v6: v6.length > 0 ? v6 : undefined };
}

function parseIpv6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (s: string) => (s === '' ? [] : s.split(':'));
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  const groups = halves.length === 2 ? [...head, ...Array(8 - head.length - tail.length).fill('0'), ...tail] : head;
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 0xff;
  });
  return out;
}

/** Reads and parses a threshold file from disk; I/O problems are AppErrors. */
export function thresholdFileError(file: string, cause: unknown): AppError {
  return new AppError('IDS_THRESHOLD_FILE', `${file}: cannot read the threshold file`, { cause, details: { file } });
}
