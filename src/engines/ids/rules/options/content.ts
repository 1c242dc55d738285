/**
 * `content` — search a buffer for bytes, with Snort's cursor semantics:
 * - absolute window: [offset, offset + depth)
 * - relative window (distance/within): [cursor + distance, cursor + distance + within)
 * - the match moves the cursor to its end; a negated content (`!`) never moves it.
 * Snort 3 sub-options (`content:"x",depth 4,nocase`) and Snort 2 / Suricata modifiers (`depth:4; nocase;`)
 * build the same config.
 */
import { err, ok, type Result } from '../../../../core/result.js';
import { compilePattern, findPattern, sharedConfig, sharedDecode, type CompiledPattern } from './search.js';
import { defineOption, type MatchContext, type ParseContext } from './types.js';
import { numKey, numOrVar, resolveNum, splitArgs, type NumOrVar } from './util.js';

export interface ContentCfg {
  pattern: Uint8Array;
  negated: boolean;
  nocase: boolean;
  rawbytes: boolean;
  offset: NumOrVar | undefined;
  depth: NumOrVar | undefined;
  distance: NumOrVar | undefined;
  within: NumOrVar | undefined;
  fastPattern: boolean;
  fpOnly: boolean;
  fpOffset: number;
  fpLength: number;
  startswith: boolean;
  endswith: boolean;
  compiled: CompiledPattern | undefined;
}

/** Decoding space for decodeContentString, reused (grown when a longer content comes). */
let scratch = new Uint8Array(1024);

/**
 * Decodes a content string: `abc|0d 0a|def`, with `\"`, `\\`, `\;`, `\:` escapes.
 *
 * @example
 * decodeContentString('GET|20|/'); // bytes of "GET /"
 */
export function decodeContentString(text: string): Result<Uint8Array> {
  // Each character yields at most 4 bytes (UTF-8), hex pairs fewer: decoded into one scratch buffer,
  // then copied to a buffer of the exact size.
  if (scratch.length < text.length * 4) scratch = new Uint8Array(text.length * 8);
  const out = scratch;
  let n = 0;
  let i = 0;
  let hex = false;
  while (i < text.length) {
    const ch = text.charCodeAt(i);
    if (hex) {
      if (text[i] === '|') {
        hex = false;
        i++;
        continue;
      }
      if (text[i] === ' ' || text[i] === '\t') {
        i++;
        continue;
      }
      const pair = text.slice(i, i + 2);
      if (!/^[0-9a-fA-F]{2}$/.test(pair)) return err(`bad hex byte ${JSON.stringify(pair)} in content at character ${i}`);
      out[n++] = parseInt(pair, 16);
      i += 2;
      continue;
    }
    if (text[i] === '|') {
      hex = true;
      i++;
      continue;
    }
    if (text[i] === '\\') {
      if (i + 1 >= text.length) return err('content ends with a lone backslash');
      out[n++] = text.charCodeAt(i + 1) & 0xff;
      i += 2;
      continue;
    }
    if (ch > 0xff) {
      // Rules are UTF-8 text; non-Latin-1 characters stand for their UTF-8 bytes.
      for (const b of Buffer.from(text[i]!, 'utf8')) out[n++] = b;
    } else out[n++] = ch;
    i++;
  }
  if (hex) return err('content has an unterminated |hex| section');
  // From Node's shared pool: tens of thousands of contents do not each get an ArrayBuffer.
  const bytes = Buffer.allocUnsafe(n);
  bytes.set(out.subarray(0, n));
  return ok(bytes);
}

/** Splits `[!]"pattern"[,rest]` into negation, pattern text and the Snort 3 sub-option text. */
export function splitQuoted(args: string): Result<{ negated: boolean; body: string; rest: string }> {
  let t = args.trim();
  let negated = false;
  if (t.startsWith('!')) {
    negated = true;
    t = t.slice(1).trim();
  }
  if (!t.startsWith('"')) return err('expected a double-quoted string');
  let i = 1;
  while (i < t.length) {
    if (t[i] === '\\') i += 2;
    else if (t[i] === '"') break;
    else i++;
  }
  if (i >= t.length) return err('the quoted string is not closed');
  const body = t.slice(1, i);
  let rest = t.slice(i + 1).trim();
  if (rest.startsWith(',')) rest = rest.slice(1).trim();
  else if (rest !== '') return err(`unexpected text after the string: ${JSON.stringify(rest)}`);
  return ok({ negated, body, rest });
}

export function newContent(pattern: Uint8Array, negated: boolean): ContentCfg {
  return {
    pattern,
    negated,
    nocase: false,
    rawbytes: false,
    offset: undefined,
    depth: undefined,
    distance: undefined,
    within: undefined,
    fastPattern: false,
    fpOnly: false,
    fpOffset: 0,
    fpLength: 0,
    startswith: false,
    endswith: false,
    compiled: undefined,
  };
}

/** Applies one content modifier by name (shared by Snort 3 sub-options and Snort 2 option form). */
export function modifyContent(c: ContentCfg, name: string, value: string | undefined, ctx: ParseContext): string | undefined {
  const num = (min: number): Result<NumOrVar> => numOrVar(value, ctx, min, 65535);
  switch (name) {
    case 'nocase':
      c.nocase = true;
      return undefined;
    case 'rawbytes':
      c.rawbytes = true;
      return undefined;
    case 'offset':
    case 'depth':
    case 'distance':
    case 'within': {
      const r = num(name === 'distance' || name === 'offset' ? -65535 : 1);
      if (!r.ok) return `${name}: ${r.error}`;
      if (c[name] !== undefined) return `${name} given twice`;
      c[name] = r.value;
      if ((c.offset || c.depth) && (c.distance || c.within)) return 'offset/depth cannot be mixed with distance/within';
      if (name === 'depth' && r.value.slot < 0 && r.value.value < c.pattern.length)
        return `depth ${r.value.value} is shorter than the content (${c.pattern.length} bytes)`;
      if (name === 'within' && r.value.slot < 0 && r.value.value < c.pattern.length)
        return `within ${r.value.value} is shorter than the content (${c.pattern.length} bytes)`;
      return undefined;
    }
    case 'fast_pattern': {
      c.fastPattern = true;
      const v = value?.trim();
      if (v === undefined || v === '') return undefined;
      if (v === 'only') {
        c.fpOnly = true;
        return undefined;
      }
      const m = /^(\d+)\s*,\s*(\d+)$/.exec(v);
      if (!m) return `fast_pattern takes nothing, "only" or "offset,length", not ${JSON.stringify(v)}`;
      c.fpOffset = Number(m[1]);
      c.fpLength = Number(m[2]);
      return undefined;
    }
    case 'fast_pattern_offset':
    case 'fast_pattern_length': {
      const n = value === undefined ? NaN : Number(value.trim());
      if (!Number.isInteger(n) || n < 0 || n > 65535) return `${name} needs a number`;
      c.fastPattern = true;
      if (name === 'fast_pattern_offset') c.fpOffset = n;
      else c.fpLength = n;
      return undefined;
    }
    case 'startswith':
      c.startswith = true;
      return undefined;
    case 'endswith':
      c.endswith = true;
      return undefined;
    default:
      return `unknown content modifier ${JSON.stringify(name)}`;
  }
}

export function parseContent(args: string | undefined, ctx: ParseContext): Result<ContentCfg> {
  if (args === undefined) return err('content needs a quoted string');
  const q = splitQuoted(args);
  if (!q.ok) return q;
  const bytes = sharedDecode(q.value.body, decodeContentString);
  if (!bytes.ok) return bytes;
  if (bytes.value.length === 0) return err('content is empty');
  const c = newContent(bytes.value, q.value.negated);
  if (q.value.rest !== '') {
    for (const sub of splitArgs(q.value.rest)) {
      const m = /^([a-z_]+)\s*(.*)$/.exec(sub);
      if (!m) return err(`bad content sub-option ${JSON.stringify(sub)}`);
      const e = modifyContent(c, m[1]!, m[2] === '' ? undefined : m[2], ctx);
      if (e) return err(e);
    }
  }
  return ok(c);
}

export function contentKey(c: ContentCfg): string {
  return [
    c.negated ? '!' : '',
    Buffer.from(c.pattern).toString('hex'),
    c.nocase ? 'i' : '',
    c.rawbytes ? 'raw' : '',
    `o${numKey(c.offset)}`,
    `d${numKey(c.depth)}`,
    `D${numKey(c.distance)}`,
    `w${numKey(c.within)}`,
    c.fastPattern ? `fp${c.fpOnly ? 'only' : ''}${c.fpOffset},${c.fpLength}` : '',
    c.startswith ? 'sw' : '',
    c.endswith ? 'ew' : '',
  ].join(';');
}

export function finishContent(c: ContentCfg): string | undefined {
  if (c.startswith && (c.offset || c.distance || c.depth || c.within)) return 'startswith cannot be combined with offset/depth/distance/within';
  if (c.fpLength > 0 && c.fpOffset + c.fpLength > c.pattern.length) return 'fast_pattern offset+length exceed the content';
  c.compiled = compilePattern(c.pattern, c.nocase);
  return undefined;
}

const sameNum = (a: NumOrVar | undefined, b: NumOrVar | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && a.value === b.value && a.slot === b.slot && a.name === b.name);

/** True when two finished contents are the same option (every field; the pattern bytes by identity). */
function sameContent(a: ContentCfg, b: ContentCfg): boolean {
  return (
    a.pattern === b.pattern &&
    a.compiled === b.compiled &&
    a.negated === b.negated &&
    a.nocase === b.nocase &&
    a.rawbytes === b.rawbytes &&
    sameNum(a.offset, b.offset) &&
    sameNum(a.depth, b.depth) &&
    sameNum(a.distance, b.distance) &&
    sameNum(a.within, b.within) &&
    a.fastPattern === b.fastPattern &&
    a.fpOnly === b.fpOnly &&
    a.fpOffset === b.fpOffset &&
    a.fpLength === b.fpLength &&
    a.startswith === b.startswith &&
    a.endswith === b.endswith
  );
}

/**
 * A finished content equal to `c` from an earlier rule of the same load, or `c`: ET's 57,760 contents
 * are about 25,000 distinct options. Identical texts share their pattern bytes (sharedDecode), which is
 * the bucket equal contents are looked for in.
 */
export function shareContent(c: ContentCfg): ContentCfg {
  return sharedConfig(c.pattern, c, sameContent);
}

export function isRelativeContent(c: ContentCfg): boolean {
  return c.distance !== undefined || c.within !== undefined;
}

/** Evaluates a content; on a match sets m.cursor to the match end and m.lastStart to its start. */
export function evalContent(c: ContentCfg, m: MatchContext): boolean {
  const p = c.compiled!;
  // The view, not `buf`: it is always a Buffer, so this load sees one map (buf is a Buffer or a Uint8Array).
  const len = m.view.length;
  const n = p.bytes.length;
  let start: number;
  let end: number;
  if (c.distance !== undefined || c.within !== undefined) {
    start = m.cursor + (c.distance ? resolveNum(c.distance, m) : 0);
    end = c.within ? start + resolveNum(c.within, m) : len;
  } else {
    start = c.offset ? resolveNum(c.offset, m) : 0;
    end = c.depth ? start + resolveNum(c.depth, m) : len;
  }
  if (start < 0) start = 0;
  if (c.startswith) end = start + n;
  if (end > len) end = len;
  if (c.endswith && end < len) return c.negated;
  // byte_extract values come as doubles (EvalState.vars is a Float64Array): past the buffer nothing can
  // match, and below it they are small integers, so the search gets small integers only.
  if (start > len) start = len;
  start |= 0;
  end |= 0;
  if (m.minStart > start) start = m.minStart;
  m.minStart = -1;
  let idx: number;
  if (c.endswith) {
    idx = len - n;
    if (idx < start || findPattern(p, m.view, idx, len) !== idx) idx = -1;
  } else idx = findPattern(p, m.view, start, end);
  if (c.negated) return idx < 0;
  if (idx < 0) return false;
  m.lastStart = idx;
  m.cursor = idx + n;
  return true;
}

export const content = defineOption<ContentCfg>({
  name: 'content',
  kind: 'match',
  help: 'search the current buffer for a byte pattern ("text|hex bytes|"), optionally negated with !',
  params: [
    { name: 'pattern', type: 'string', help: 'quoted pattern; |41 42| writes bytes in hex; ! before the quote negates' },
    { name: 'nocase', type: 'flag', help: 'case-insensitive (ASCII)' },
    { name: 'offset', type: 'expr', help: 'start searching this many bytes into the buffer (number or byte_extract variable)' },
    { name: 'depth', type: 'expr', help: 'search only this many bytes from offset' },
    { name: 'distance', type: 'expr', help: 'start this many bytes after the previous match (relative)' },
    { name: 'within', type: 'expr', help: 'the match must end within this many bytes of distance start (relative)' },
    { name: 'fast_pattern', type: 'flag', help: 'use this content for the multi-pattern prefilter' },
  ],
  usesBuffer: true,
  retryable: (c) => !c.negated,
  parse: parseContent,
  key: contentKey,
  finish: (c) => finishContent(c),
  share: shareContent,
  eval: evalContent,
});
