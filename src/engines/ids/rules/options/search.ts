/**
 * Single-pattern search used by content evaluation. Case-sensitive search uses the native
 * Buffer.indexOf; case-insensitive search uses a Horspool skip table over case-folded bytes.
 * Compiled once per content at load time (identical contents of one rule set share it); searching
 * allocates nothing after a pattern's first search.
 */
import { ok, type Result } from '../../../../core/result.js';

/** ASCII case-folding table: byte -> lower-case byte. */
export const FOLD = (() => {
  const t = new Uint8Array(256);
  for (let i = 0; i < 256; i++) t[i] = i >= 0x41 && i <= 0x5a ? i + 32 : i;
  return t;
})();

export interface CompiledPattern {
  /** Pattern bytes (lower-cased when nocase). */
  readonly bytes: Buffer;
  readonly nocase: boolean;
  /**
   * Horspool shift per (folded) byte, for nocase search: built on the first search, since most contents
   * of a large rule set are never searched (their rule's fast pattern never occurs).
   */
  skip: Uint16Array | undefined;
}

/** What identical contents of one rule set share while it loads (see sharingPatterns). */
interface PatternTables {
  /** Decoded bytes by content text as written (`GET|20|`). */
  readonly decoded: Map<string, Uint8Array>;
  /** Compiled patterns by the (shared) decoded bytes, case-sensitive and nocase. */
  readonly exact: Map<Uint8Array, CompiledPattern>;
  readonly nocase: Map<Uint8Array, CompiledPattern>;
  /** Other options' parse results by argument text (see sharedParse). */
  readonly parsed: Map<string, Map<string, unknown>>;
  /** Finished configs by an object they all hold (a content's shared bytes), see sharedConfig. */
  readonly configs: Map<object, unknown[]>;
  /** Strings rules keep (metadata, reference ids, classtypes...), see keptString. */
  readonly strings: Map<string, string>;
}

/**
 * Set only inside `sharingPatterns`, so nothing is kept once a load is over. ET has 57,760 contents
 * written 22,000-odd distinct ways: each distinct one is decoded and compiled once, and its rules share
 * the bytes, the compiled pattern and its skip table.
 */
let tables: PatternTables | undefined;

/**
 * Runs `fn` (a rule-set load) with identical contents sharing their bytes and compiled pattern.
 * Both are immutable once built (the skip table is filled in once, the same for every sharer).
 */
export function sharingPatterns<T>(fn: () => T): T {
  if (tables) return fn();
  tables = { decoded: new Map(), exact: new Map(), nocase: new Map(), parsed: new Map(), configs: new Map(), strings: new Map() };
  try {
    return fn();
  } finally {
    tables = undefined;
  }
}

/** The decoded bytes of a content text, shared with earlier identical texts of the same load. */
export function sharedDecode(text: string, decode: (text: string) => Result<Uint8Array>): Result<Uint8Array> {
  const known = tables?.decoded.get(text);
  if (known) return ok(known);
  const r = decode(text);
  if (r.ok) tables?.decoded.set(text, r.value);
  return r;
}

/**
 * The parse result of an option whose config is immutable and depends on its argument text alone
 * (pcre: ET has 10,312, 4,098 distinct), shared with earlier identical options of the same load.
 */
export function sharedParse<T>(option: string, args: string, parse: (args: string) => T): T {
  if (!tables) return parse(args);
  let byArgs = tables.parsed.get(option);
  if (!byArgs) tables.parsed.set(option, (byArgs = new Map()));
  if (byArgs.has(args)) return byArgs.get(args) as T;
  const r = parse(args);
  byArgs.set(args, r);
  return r;
}

/**
 * A copy of `text` that does not keep the text it was cut from in memory.
 *
 * V8 makes a substring of 13 characters or more a view into the string it was cut from, so a rule's
 * msg, reference id or pcre, cut from the rule file's text, kept the whole file alive: 14.5 MB for the
 * ET files. Concatenation then slicing makes V8 copy the characters into a new flat string.
 *
 * @example
 * const msg = detached(line.slice(5, 60)); // `line` can now be collected
 */
export function detached(text: string): string {
  return text.length < 13 ? text : (' ' + text).slice(1);
}

/**
 * A detached (see `detached`) string equal to `text`, shared with equal strings kept earlier in the
 * same load (ET repeats metadata such as `created_at` and `signature_severity Major` in every rule).
 */
export function keptString(text: string): string {
  if (!tables) return detached(text);
  const known = tables.strings.get(text);
  if (known !== undefined) return known;
  const copy = detached(text);
  tables.strings.set(copy, copy);
  return copy;
}

/** Equal configs kept per bucket at most: a scan of the bucket is the price of each lookup. */
const MAX_BUCKET = 32;

/**
 * An equal finished config seen earlier in this load (same bucket, `equal` true), else `cfg`, which is
 * remembered. `bucket` is an object every equal config holds, e.g. a content's shared pattern bytes.
 */
export function sharedConfig<T>(bucket: object, cfg: T, equal: (a: T, b: T) => boolean): T {
  if (!tables) return cfg;
  let list = tables.configs.get(bucket) as T[] | undefined;
  if (!list) tables.configs.set(bucket, (list = []));
  for (const known of list) if (equal(known, cfg)) return known;
  if (list.length < MAX_BUCKET) list.push(cfg);
  return cfg;
}

/**
 * Precompiles a content pattern (lower-cased when nocase). `pattern` is kept, not copied, when the
 * search is case-sensitive: callers must not change it afterwards.
 *
 * @example
 * findPattern(compilePattern(Buffer.from('GET'), true), Buffer.from('xget'), 0, 4); // 1
 */
export function compilePattern(pattern: Uint8Array, nocase: boolean): CompiledPattern {
  const table = nocase ? tables?.nocase : tables?.exact;
  const known = table?.get(pattern);
  if (known) return known;
  const n = pattern.length;
  let bytes: Buffer;
  if (nocase) {
    // From Node's shared pool (no ArrayBuffer of its own), folded in place.
    bytes = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) bytes[i] = FOLD[pattern[i]!]!;
  } else bytes = Buffer.isBuffer(pattern) ? pattern : Buffer.from(pattern);
  const p: CompiledPattern = { bytes, nocase, skip: undefined };
  table?.set(pattern, p);
  return p;
}

function buildSkip(p: CompiledPattern): Uint16Array {
  const bytes = p.bytes;
  const n = bytes.length;
  const skip = new Uint16Array(256).fill(Math.min(n, 65535));
  for (let i = 0; i < n - 1; i++) {
    const s = n - 1 - i;
    const b = bytes[i]!;
    skip[b] = s;
    // Both cases of a letter get the shift, since the haystack is folded on the fly.
    if (b >= 0x61 && b <= 0x7a) skip[b - 32] = s;
  }
  p.skip = skip;
  return skip;
}

/**
 * First index i in [start, end - n] where the pattern occurs in hay (so the match ends by `end`), or -1.
 */
export function findPattern(p: CompiledPattern, hay: Buffer, start: number, end: number): number {
  const n = p.bytes.length;
  if (start < 0) start = 0;
  if (end > hay.length) end = hay.length;
  if (end - start < n) return -1;
  if (n === 0) return start;
  if (!p.nocase) {
    const i = hay.indexOf(p.bytes, start);
    return i >= 0 && i + n <= end ? i : -1;
  }
  const pat = p.bytes;
  const skip = p.skip ?? buildSkip(p);
  const last = n - 1;
  const lastByte = pat[last]!;
  let i = start;
  const limit = end - n;
  while (i <= limit) {
    const c = FOLD[hay[i + last]!]!;
    if (c === lastByte) {
      let j = last - 1;
      while (j >= 0 && FOLD[hay[i + j]!] === pat[j]) j--;
      if (j < 0) return i;
    }
    i += skip[hay[i + last]!]!;
  }
  return -1;
}
