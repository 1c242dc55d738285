/**
 * The backtracking matcher behind `pcre` patterns RE2 cannot run (look-around, back-references).
 *
 * It implements JavaScript's RegExp semantics (ECMAScript, no `u` flag, flags i s m) on Latin-1 subjects
 * and counts its work: every node visit, every byte a repeat consumes and every backtrack is a step, and a
 * search that spends more than its step budget gives up (no match; the caller counts it), like PCRE's
 * match_limit (Snort's `pcre_match_limit`). Nested iterations of a repeated group are bounded as well
 * (PCRE's recursion limit), so no pattern and no input can take more than a bounded time, while ordinary
 * input is searched whole: the bound is on work actually done, not on a worst case guessed from the
 * pattern.
 *
 * Patterns are compiled into closures in continuation-passing style (each node knows its successor), the
 * way the ECMAScript specification describes its matchers; the state a backtrack must undo (captures,
 * repeat counters) is saved and restored on the JavaScript stack. Only captures that a back-reference
 * reads are recorded. Repeats of a single byte set, and of a fixed-width group that holds no recorded
 * capture, run as loops without recursion.
 */

/** Steps one search may take before it gives up (about 5-20 ms of CPU). */
export const PCRE_MATCH_LIMIT = 1 << 20;

/**
 * Iterations of a repeated variable-width group that may be nested on the stack before a search gives up
 * (Snort's `pcre_match_limit_recursion` is 1,500 PCRE frames); each iteration holds a few JavaScript
 * frames, and this keeps a search well inside Node's default stack.
 */
export const PCRE_DEPTH_LIMIT = 1000;

/** Result of `BacktrackMatcher.search` when the step or depth limit was reached. */
export const LIMIT_EXCEEDED = -2;

/** A compiled fallback pattern. */
export interface BacktrackMatcher {
  /**
   * Finds the leftmost match starting at or after `from` in the Latin-1 string `s`: its start, -1 when
   * there is none, or LIMIT_EXCEEDED. The match's end is then in `end`.
   */
  search(s: string, from: number): number;
  /** End of the last match found. */
  end: number;
  /** Steps the last search took (for tests and measurements). */
  steps: number;
  /** Which limit stopped the last search, if one did. */
  exceeded: 'steps' | 'depth' | 'stack' | undefined;
}

type Ast =
  | { t: 'set'; set: Uint8Array }
  | { t: 'seq'; items: Ast[] }
  | { t: 'alt'; alts: Ast[] }
  | { t: 'group'; index: number; body: Ast }
  | { t: 'look'; ahead: boolean; negated: boolean; body: Ast }
  | { t: 'rep'; body: Ast; min: number; max: number; greedy: boolean }
  | { t: 'bol' }
  | { t: 'eol' }
  | { t: 'word'; negated: boolean }
  | { t: 'backref'; index: number };

/** Thrown out of a search when it runs out of steps or depth (caught in `search`). */
const LIMIT = new Error('pcre match limit');
const DEPTH = new Error('pcre depth limit');

/** Why a pattern is not accepted by `compileBacktrack`. */
export class PatternError extends Error {}

// ---------------------------------------------------------------------------------------------
// Byte sets and case folding (ECMAScript Canonicalize without the u flag)

function canonicalize(ch: number): number {
  const u = String.fromCharCode(ch).toUpperCase();
  if (u.length !== 1) return ch;
  const cu = u.charCodeAt(0);
  // A non-ASCII character never folds onto an ASCII one.
  return ch >= 128 && cu < 128 ? ch : cu;
}

const canonLatin1 = Uint16Array.from({ length: 256 }, (_, b) => canonicalize(b));

/**
 * Every UTF-16 code unit with the same canonical form as the Latin-1 byte `b` (itself included). Such a
 * unit is the byte's canonical form or a lower-case form of it or of the byte (e.g. 0xB5 µ: U+039C and
 * U+03BC; 0xFF ÿ: U+0178): a few candidates checked, not a scan of all 65,536 units (the test compares
 * both for every byte).
 */
export function foldEquivalents(b: number): number[] {
  let known = equivalents[b];
  if (known !== undefined) return known;
  const canon = canonLatin1[b]!;
  const candidates = [b, canon];
  for (const c of [b, canon]) {
    const ch = String.fromCharCode(c);
    for (const other of [ch.toLowerCase(), ch.toUpperCase()]) if (other.length === 1) candidates.push(other.charCodeAt(0));
  }
  known = [...new Set(candidates)].filter((u) => canonicalize(u) === canon).sort((x, y) => x - y);
  equivalents[b] = known;
  return known;
}
const equivalents: (number[] | undefined)[] = [];

/** Byte sets are shared by every pattern (a set is immutable once built), found by how they were written. */
const setCache = new Map<string, Uint8Array>();

/** The Latin-1 bytes matched by a class of code-unit ranges (pairs lo, hi), folded with i, then negated. */
function bytesOf(ranges: number[], fold: boolean, negated: boolean): Uint8Array {
  const key = `${fold ? 'i' : ''}${negated ? '^' : ''}${ranges.join(',')}`;
  let set = setCache.get(key);
  if (set !== undefined) return set;
  set = new Uint8Array(256);
  for (let k = 0; k < ranges.length; k += 2) {
    const lo = ranges[k]!;
    const hi = Math.min(ranges[k + 1]!, 255);
    if (lo <= hi) set.fill(1, lo, hi + 1);
  }
  if (fold) {
    for (let b = 0; b < 256; b++) {
      if (set[b] === 1) continue;
      for (const u of foldEquivalents(b)) {
        let hit = false;
        for (let k = 0; k < ranges.length; k += 2) if (u >= ranges[k]! && u <= ranges[k + 1]!) hit = true;
        if (hit) {
          set[b] = 1;
          break;
        }
      }
    }
  }
  if (negated) for (let b = 0; b < 256; b++) set[b] ^= 1;
  setCache.set(key, set);
  return set;
}

const DIGIT = [48, 57];
const WORD = [48, 57, 65, 90, 95, 95, 97, 122];
const SPACE = [9, 13, 32, 32, 0xa0, 0xa0, 0x1680, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x202f, 0x205f, 0x205f, 0x3000, 0x3000, 0xfeff, 0xfeff];

/** Complement of sorted ranges over 0..0xffff. */
function complement(ranges: number[]): number[] {
  const out: number[] = [];
  let next = 0;
  for (let k = 0; k < ranges.length; k += 2) {
    if (ranges[k]! > next) out.push(next, ranges[k]! - 1);
    next = ranges[k + 1]! + 1;
  }
  if (next <= 0xffff) out.push(next, 0xffff);
  return out;
}

function isWordByte(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isLineTerminator(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

// ---------------------------------------------------------------------------------------------
// Parser (the JavaScript pattern syntax, with the Annex B leniencies RegExp accepts)

class Parser {
  private i = 0;
  private groupCount = 0;
  readonly names = new Map<string, number>();
  private readonly totalGroups: number;
  private readonly hasNames: boolean;
  /** Back-references as written: group numbers, or names resolved after parsing. */
  readonly refs: { node: { index: number }; name?: string }[] = [];

  constructor(
    private readonly src: string,
    private readonly fold: boolean,
    private readonly dotAll: boolean,
  ) {
    const counted = countGroups(src);
    this.totalGroups = counted.groups;
    this.hasNames = counted.named;
  }

  parse(): Ast {
    const ast = this.alternation();
    if (this.i < this.src.length) throw new PatternError(`unmatched ) at ${this.i}`);
    for (const r of this.refs) {
      if (r.name === undefined) continue;
      const index = this.names.get(r.name);
      if (index === undefined) throw new PatternError(`unknown group name ${r.name}`);
      r.node.index = index;
    }
    return ast;
  }

  private peek(): string | undefined {
    return this.src[this.i];
  }

  private alternation(): Ast {
    const alts: Ast[] = [this.sequence()];
    while (this.peek() === '|') {
      this.i++;
      alts.push(this.sequence());
    }
    return alts.length === 1 ? alts[0]! : { t: 'alt', alts };
  }

  private sequence(): Ast {
    const items: Ast[] = [];
    while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') items.push(this.term());
    return items.length === 1 ? items[0]! : { t: 'seq', items };
  }

  private term(): Ast {
    const atom = this.atom();
    const q = this.quantifier();
    if (q === undefined) return atom;
    if (atom.t === 'bol' || atom.t === 'eol' || atom.t === 'word' || (atom.t === 'look' && !atom.ahead)) {
      throw new PatternError('nothing to repeat');
    }
    return { t: 'rep', body: atom, ...q };
  }

  private quantifier(): { min: number; max: number; greedy: boolean } | undefined {
    const ch = this.peek();
    let min: number;
    let max: number;
    if (ch === '*') [min, max] = [0, Infinity];
    else if (ch === '+') [min, max] = [1, Infinity];
    else if (ch === '?') [min, max] = [0, 1];
    else if (ch === '{') {
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.src.slice(this.i, this.i + 40));
      // Annex B: a brace that does not make a quantifier is a literal.
      if (!m) return undefined;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (max < min) throw new PatternError('numbers out of order in {} quantifier');
      this.i += m[0].length - 1;
    } else return undefined;
    this.i++;
    let greedy = true;
    if (this.peek() === '?') {
      greedy = false;
      this.i++;
    }
    return { min, max, greedy };
  }

  private set(ranges: number[], negated = false): Ast {
    return { t: 'set', set: bytesOf(ranges, this.fold, negated) };
  }

  private atom(): Ast {
    const ch = this.src[this.i++]!;
    switch (ch) {
      case '^':
        return { t: 'bol' };
      case '$':
        return { t: 'eol' };
      case '.':
        return this.set(this.dotAll ? [0, 0xffff] : [0, 9, 11, 12, 14, 0x2027, 0x202a, 0xffff]);
      case '[':
        return this.charClass();
      case '(':
        return this.group();
      case '\\':
        return this.atomEscape();
      case '*':
      case '+':
      case '?':
        throw new PatternError('nothing to repeat');
      case '{':
        if (/^\d+(,\d*)?\}/.test(this.src.slice(this.i, this.i + 40))) throw new PatternError('nothing to repeat');
        return this.set([123, 123]);
      default: {
        const c = ch.charCodeAt(0);
        return this.set([c, c]);
      }
    }
  }

  private group(): Ast {
    let look: { ahead: boolean; negated: boolean } | undefined;
    let index = -1;
    const s = this.src;
    if (s[this.i] === '?') {
      const k = s[this.i + 1];
      if (k === ':') this.i += 2;
      else if (k === '=' || k === '!') {
        look = { ahead: true, negated: k === '!' };
        this.i += 2;
      } else if (k === '<' && (s[this.i + 2] === '=' || s[this.i + 2] === '!')) {
        look = { ahead: false, negated: s[this.i + 2] === '!' };
        this.i += 3;
      } else if (k === '<') {
        const close = s.indexOf('>', this.i + 2);
        const name = close < 0 ? '' : s.slice(this.i + 2, close);
        if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new PatternError('invalid capture group name');
        if (this.names.has(name)) throw new PatternError(`duplicate capture group name ${name}`);
        index = ++this.groupCount;
        this.names.set(name, index);
        this.i = close + 1;
      } else throw new PatternError('invalid group');
    } else index = ++this.groupCount;
    const body = this.alternation();
    if (s[this.i] !== ')') throw new PatternError('unterminated group');
    this.i++;
    if (look) return { t: 'look', ...look, body };
    return { t: 'group', index, body };
  }

  private atomEscape(): Ast {
    const s = this.src;
    const n = s[this.i];
    if (n === undefined) throw new PatternError('\\ at end of pattern');
    if (n === 'b' || n === 'B') {
      this.i++;
      return { t: 'word', negated: n === 'B' };
    }
    if (n >= '1' && n <= '9') {
      const digits = /^\d+/.exec(s.slice(this.i))![0];
      if (Number(digits) <= this.totalGroups) {
        this.i += digits.length;
        const node: Ast & { t: 'backref' } = { t: 'backref', index: Number(digits) };
        this.refs.push({ node });
        return node;
      }
    }
    if (n === 'k' && this.hasNames) {
      const close = s.indexOf('>', this.i);
      if (s[this.i + 1] !== '<' || close < 0) throw new PatternError('invalid named reference');
      const node: Ast & { t: 'backref' } = { t: 'backref', index: 0 };
      this.refs.push({ node, name: s.slice(this.i + 2, close) });
      this.i = close + 1;
      return node;
    }
    const e = this.classEscape(false);
    return this.set(e.ranges, e.negated);
  }

  /** An escape after `\` (at i) that stands for characters: the code-unit ranges, maybe negated. */
  private classEscape(inClass: boolean): { ranges: number[]; negated: boolean; single?: number } {
    const s = this.src;
    const n = s[this.i++]!;
    const one = (c: number) => ({ ranges: [c, c], negated: false, single: c });
    switch (n) {
      case 'd':
        return { ranges: DIGIT, negated: false };
      case 'D':
        return { ranges: complement(DIGIT), negated: false };
      case 'w':
        return { ranges: WORD, negated: false };
      case 'W':
        return { ranges: complement(WORD), negated: false };
      case 's':
        return { ranges: SPACE, negated: false };
      case 'S':
        return { ranges: complement(SPACE), negated: false };
      case 't':
        return one(9);
      case 'n':
        return one(10);
      case 'v':
        return one(11);
      case 'f':
        return one(12);
      case 'r':
        return one(13);
      case 'b':
        // Only reached inside a class, where \b is a backspace.
        return one(8);
      case 'c': {
        const l = s[this.i];
        if (l !== undefined && /[A-Za-z]/.test(l)) {
          this.i++;
          return one(l.charCodeAt(0) % 32);
        }
        if (inClass && l !== undefined && /[\d_]/.test(l)) {
          this.i++;
          return one(l.charCodeAt(0) % 32);
        }
        // Annex B: a lone \c is a backslash followed by c.
        this.i--;
        return one(92);
      }
      case 'x': {
        const m = /^[0-9a-fA-F]{2}/.exec(s.slice(this.i, this.i + 2));
        if (!m) return one(120);
        this.i += 2;
        return one(parseInt(m[0], 16));
      }
      case 'u': {
        const m = /^[0-9a-fA-F]{4}/.exec(s.slice(this.i, this.i + 4));
        if (!m) return one(117);
        this.i += 4;
        return one(parseInt(m[0], 16));
      }
      default:
        if (n === '0' && !/[0-7]/.test(s[this.i] ?? '')) return one(0);
        if (n >= '0' && n <= '7') {
          // Annex B legacy octal escape (a back-reference was ruled out by the caller).
          const m = /^[0-7]{1,2}/.exec(s.slice(this.i, this.i + 2));
          let digits = n + (m ? m[0] : '');
          if (digits.length === 3 && n > '3') digits = digits.slice(0, 2);
          this.i += digits.length - 1;
          return one(parseInt(digits, 8));
        }
        return one(n.charCodeAt(0));
    }
  }

  private charClass(): Ast {
    const s = this.src;
    let negated = false;
    if (s[this.i] === '^') {
      negated = true;
      this.i++;
    }
    const ranges: number[] = [];
    /** A class atom: a single code unit, or a set (for \d-style escapes). */
    const classAtom = (): { single?: number; ranges: number[] } => {
      const ch = s[this.i++]!;
      if (ch === '\\') {
        const e = this.classEscape(true);
        return e.single !== undefined ? { single: e.single, ranges: e.ranges } : { ranges: e.ranges };
      }
      const c = ch.charCodeAt(0);
      return { single: c, ranges: [c, c] };
    };
    for (;;) {
      if (this.i >= s.length) throw new PatternError('unterminated character class');
      if (s[this.i] === ']') {
        this.i++;
        break;
      }
      const a = classAtom();
      if (s[this.i] === '-' && s[this.i + 1] !== ']' && this.i + 1 < s.length) {
        const save = this.i;
        this.i++;
        const b = classAtom();
        if (a.single !== undefined && b.single !== undefined) {
          if (b.single < a.single) throw new PatternError('range out of order in character class');
          ranges.push(a.single, b.single);
          continue;
        }
        // Annex B: a range with a class escape at either end is the two sets and a literal '-'.
        if (a.single === undefined && b.single === undefined) {
          ranges.push(...a.ranges, 45, 45, ...b.ranges);
          continue;
        }
        this.i = save;
      }
      ranges.push(...a.ranges);
    }
    return this.set(sortRanges(ranges), negated);
  }
}

function sortRanges(ranges: number[]): number[] {
  const pairs: [number, number][] = [];
  for (let k = 0; k < ranges.length; k += 2) pairs.push([ranges[k]!, ranges[k + 1]!]);
  pairs.sort((a, b) => a[0] - b[0]);
  return pairs.flat();
}

/** Capturing groups of a pattern (for telling `\12` the back-reference from `\12` the octal escape). */
function countGroups(src: string): { groups: number; named: boolean } {
  let groups = 0;
  let named = false;
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (ch === '\\') i++;
    else if (inClass) inClass = ch !== ']';
    else if (ch === '[') inClass = true;
    else if (ch === '(') {
      if (src[i + 1] !== '?') groups++;
      else if (src[i + 2] === '<' && src[i + 3] !== '=' && src[i + 3] !== '!') {
        groups++;
        named = true;
      }
    }
  }
  return { groups, named };
}

// ---------------------------------------------------------------------------------------------
// Analysis

/** Bytes consumed by every match of the node, or -1 when it varies. */
function fixedWidth(a: Ast): number {
  switch (a.t) {
    case 'set':
      return 1;
    case 'seq': {
      let w = 0;
      for (const item of a.items) {
        const x = fixedWidth(item);
        if (x < 0) return -1;
        w += x;
      }
      return w;
    }
    case 'alt': {
      const w = fixedWidth(a.alts[0]!);
      for (const alt of a.alts) if (fixedWidth(alt) !== w) return -1;
      return w;
    }
    case 'group':
      return fixedWidth(a.body);
    case 'rep': {
      if (a.max === 0) return 0;
      const w = fixedWidth(a.body);
      return a.min === a.max && w >= 0 ? w * a.min : w === 0 ? 0 : -1;
    }
    case 'backref':
      return -1;
    default:
      return 0;
  }
}

/** Recorded (back-referenced) capture groups inside a node. */
function recordedInside(a: Ast, recorded: Set<number>, out: number[] = []): number[] {
  switch (a.t) {
    case 'seq':
      for (const item of a.items) recordedInside(item, recorded, out);
      break;
    case 'alt':
      for (const alt of a.alts) recordedInside(alt, recorded, out);
      break;
    case 'group':
      if (recorded.has(a.index)) out.push(a.index);
      recordedInside(a.body, recorded, out);
      break;
    case 'rep':
    case 'look':
      recordedInside(a.body, recorded, out);
      break;
  }
  return out;
}

function hasBackref(a: Ast): boolean {
  switch (a.t) {
    case 'backref':
      return true;
    case 'seq':
      return a.items.some(hasBackref);
    case 'alt':
      return a.alts.some(hasBackref);
    case 'group':
    case 'rep':
    case 'look':
      return hasBackref(a.body);
    default:
      return false;
  }
}

/** True when the node can match without consuming a byte. */
function canBeEmpty(a: Ast): boolean {
  switch (a.t) {
    case 'set':
      return false;
    case 'seq':
      return a.items.every(canBeEmpty);
    case 'alt':
      return a.alts.some(canBeEmpty);
    case 'group':
      return canBeEmpty(a.body);
    case 'rep':
      return a.min === 0 || canBeEmpty(a.body);
    default:
      return true;
  }
}

/** Adds to `out` the bytes a match of the node can start with; false when that cannot be told. */
function firstBytes(a: Ast, out: Uint8Array): boolean {
  switch (a.t) {
    case 'set':
      for (let b = 0; b < 256; b++) out[b] |= a.set[b]!;
      return true;
    case 'seq':
      for (const item of a.items) {
        if (!firstBytes(item, out)) return false;
        if (!canBeEmpty(item)) return true;
      }
      return true;
    case 'alt':
      return a.alts.every((alt) => firstBytes(alt, out));
    case 'group':
      return firstBytes(a.body, out);
    case 'rep':
      return a.max === 0 || firstBytes(a.body, out);
    case 'backref':
      return false;
    default:
      // Assertions consume nothing: the first byte comes from what follows.
      return true;
  }
}

/** True when every match starts with `^` (and so, without m, only at 0). */
function anchoredAtStart(a: Ast): boolean {
  switch (a.t) {
    case 'bol':
      return true;
    case 'seq':
      return a.items.length > 0 && anchoredAtStart(a.items[0]!);
    case 'alt':
      return a.alts.every(anchoredAtStart);
    case 'group':
      return anchoredAtStart(a.body);
    default:
      return false;
  }
}

/** Byte sets every match consumes (outside look-arounds and alternations), in pattern order. */
function requiredSets(a: Ast, out: Uint8Array[] = []): Uint8Array[] {
  switch (a.t) {
    case 'set':
      out.push(a.set);
      break;
    case 'seq':
      for (const item of a.items) requiredSets(item, out);
      break;
    case 'group':
      requiredSets(a.body, out);
      break;
    case 'rep':
      if (a.min > 0) requiredSets(a.body, out);
      break;
  }
  return out;
}

/**
 * The rarest-looking byte set a match needs (fewest bytes; the last on a tie, as PCRE's "required
 * character" is the last literal), or undefined when every byte would do. A subject holding none of its
 * bytes cannot match, whatever the pattern would otherwise try.
 */
function rarestRequired(a: Ast): Uint8Array | undefined {
  let best: Uint8Array | undefined;
  let bestCount = 256;
  for (const set of requiredSets(a)) {
    let count = 0;
    for (let b = 0; b < 256; b++) count += set[b]!;
    if (count <= bestCount) {
      best = set;
      bestCount = count;
    }
  }
  return bestCount < 256 ? best : undefined;
}

// ---------------------------------------------------------------------------------------------
// Compiler

type Next = (pos: number) => boolean;

/**
 * Compiles a JavaScript pattern source (flags from `ismg`; `g` is implied) into a step-counting matcher.
 * Throws PatternError for syntax it does not accept (RegExp rejects it too).
 *
 * @example
 * const m = compileBacktrack('(?<=\\d)px', '');
 * m.search('width: 12px', 0); // 9, m.end === 11
 */
export function compileBacktrack(source: string, flags: string): BacktrackMatcher {
  const fold = flags.includes('i');
  const multiline = flags.includes('m');
  const parser = new Parser(source, fold, flags.includes('s'));
  const ast = parser.parse();
  const recorded = new Set(parser.refs.map((r) => r.node.index));
  const ncap = recorded.size === 0 ? 0 : Math.max(...recorded) + 1;

  // Search state, shared by the closures of this pattern (a search never re-enters itself).
  let s = '';
  let n = 0;
  let steps = 0;
  let depth = 0;
  let matchEnd = 0;
  /** Numbers searches, so that answers remembered in one are not used in the next. */
  let searchGen = 0;
  const capStart = new Int32Array(ncap).fill(-1);
  const capEnd = new Int32Array(ncap).fill(-1);
  const openAt = new Int32Array(ncap);

  const accept: Next = () => true;

  const saveCaps = (idx: number[]): number[] => {
    const saved: number[] = [];
    for (const g of idx) saved.push(capStart[g]!, capEnd[g]!);
    return saved;
  };
  const restoreCaps = (idx: number[], saved: number[]): void => {
    for (let k = 0; k < idx.length; k++) {
      capStart[idx[k]!] = saved[2 * k]!;
      capEnd[idx[k]!] = saved[2 * k + 1]!;
    }
  };

  /**
   * While compiling: whether the node being built answers as a function of its position alone (no recorded
   * captures, not inside a variable-width repeated group whose counters its continuation reads), and
   * whether only that answer counts (inside a look-around or a fixed-width loop body, where the match's
   * end is not used). Such nodes may remember answers during a search.
   */
  let pure = ncap === 0;
  let booleanOnly = false;
  /** Compiles a standalone sub-match (a look-around or loop body), which is pure when the pattern is. */
  const compileSub = (a: Ast, next: Next, dir: 1 | -1, subPure: boolean, subBooleanOnly: boolean): Next => {
    const saved = [pure, booleanOnly] as const;
    pure = subPure;
    booleanOnly = subBooleanOnly;
    const m = compile(a, next, dir);
    [pure, booleanOnly] = saved;
    return m;
  };

  const compile = (a: Ast, next: Next, dir: 1 | -1): Next => {
    switch (a.t) {
      case 'set': {
        const set = a.set;
        if (dir === 1) {
          return (pos) => {
            if (++steps > PCRE_MATCH_LIMIT) throw LIMIT;
            return pos < n && set[s.charCodeAt(pos)] === 1 && next(pos + 1);
          };
        }
        return (pos) => {
          if (++steps > PCRE_MATCH_LIMIT) throw LIMIT;
          return pos > 0 && set[s.charCodeAt(pos - 1)] === 1 && next(pos - 1);
        };
      }
      case 'seq': {
        // A run of single bytes is checked in one loop.
        const items = dir === 1 ? a.items : [...a.items].reverse();
        let m = next;
        for (let k = items.length - 1; k >= 0; k--) {
          let j = k;
          while (j > 0 && items[j]!.t === 'set' && items[j - 1]!.t === 'set') j--;
          if (k - j >= 2) {
            const sets = items.slice(j, k + 1).map((x) => (x as { set: Uint8Array }).set);
            m = compileRun(sets, m, dir);
            k = j;
          } else m = compile(items[k]!, m, dir);
        }
        return m;
      }
      case 'alt': {
        const ms = a.alts.map((alt) => compile(alt, next, dir));
        return (pos) => {
          if (++steps > PCRE_MATCH_LIMIT) throw LIMIT;
          for (let k = 0; k < ms.length; k++) if (ms[k]!(pos)) return true;
          return false;
        };
      }
      case 'group': {
        if (!recorded.has(a.index)) return compile(a.body, next, dir);
        const g = a.index;
        const close: Next = (pos) => {
          const ps = capStart[g]!;
          const pe = capEnd[g]!;
          if (dir === 1) {
            capStart[g] = openAt[g]!;
            capEnd[g] = pos;
          } else {
            capStart[g] = pos;
            capEnd[g] = openAt[g]!;
          }
          if (next(pos)) return true;
          capStart[g] = ps;
          capEnd[g] = pe;
          return false;
        };
        const body = compile(a.body, close, dir);
        return (pos) => {
          const saved = openAt[g]!;
          openAt[g] = pos;
          const r = body(pos);
          openAt[g] = saved;
          return r;
        };
      }
      case 'backref': {
        const g = a.index;
        return (pos) => {
          if (++steps > PCRE_MATCH_LIMIT) throw LIMIT;
          const from = capStart[g]!;
          if (from < 0) return next(pos);
          const len = capEnd[g]! - from;
          const at = dir === 1 ? pos : pos - len;
          if (at < 0 || at + len > n) return false;
          steps += len;
          if (fold) {
            for (let k = 0; k < len; k++) if (canonLatin1[s.charCodeAt(from + k)] !== canonLatin1[s.charCodeAt(at + k)]) return false;
          } else {
            for (let k = 0; k < len; k++) if (s.charCodeAt(from + k) !== s.charCodeAt(at + k)) return false;
          }
          return next(dir === 1 ? pos + len : pos - len);
        };
      }
      case 'look': {
        const body = compileSub(a.body, accept, a.ahead ? 1 : -1, ncap === 0, true);
        const inside = recordedInside(a.body, recorded);
        if (a.negated) {
          return (pos) => {
            if (++steps > PCRE_MATCH_LIMIT) throw LIMIT;
            if (inside.length === 0) return !body(pos) && next(pos);
            const saved = saveCaps(inside);
            if (body(pos)) {
              restoreCaps(inside, saved);
              return false;
            }
            return next(pos);
          };
        }
        return (pos) => {
          if (++steps > PCRE_MATCH_LIMIT) throw LIMIT;
          if (inside.length === 0) return body(pos) && next(pos);
          const saved = saveCaps(inside);
          if (!body(pos)) return false;
          if (next(pos)) return true;
          restoreCaps(inside, saved);
          return false;
        };
      }
      case 'bol':
        return (pos) => (pos === 0 || (multiline && isLineTerminator(s.charCodeAt(pos - 1)))) && next(pos);
      case 'eol':
        return (pos) => (pos === n || (multiline && isLineTerminator(s.charCodeAt(pos)))) && next(pos);
      case 'word': {
        const negated = a.negated;
        return (pos) => {
          const before = pos > 0 && isWordByte(s.charCodeAt(pos - 1));
          const after = pos < n && isWordByte(s.charCodeAt(pos));
          return before !== after !== negated && next(pos);
        };
      }
      case 'rep':
        return compileRep(a, next, dir);
    }
  };

  /** A sequence of single bytes, checked in one loop. */
  const compileRun = (sets: Uint8Array[], next: Next, dir: 1 | -1): Next => {
    const len = sets.length;
    if (dir === 1) {
      return (pos) => {
        if ((steps += len) > PCRE_MATCH_LIMIT) throw LIMIT;
        if (pos + len > n) return false;
        for (let k = 0; k < len; k++) if (sets[k]![s.charCodeAt(pos + k)] !== 1) return false;
        return next(pos + len);
      };
    }
    // Backward, sets[0] is the byte just before pos.
    return (pos) => {
      if ((steps += len) > PCRE_MATCH_LIMIT) throw LIMIT;
      if (pos - len < 0) return false;
      for (let k = 0; k < len; k++) if (sets[k]![s.charCodeAt(pos - 1 - k)] !== 1) return false;
      return next(pos - len);
    };
  };

  /**
   * `[set]*`, `[set]+?`... forward, with no upper bound, in a pure position. If it fails at pos, where the run
   * of set bytes from pos ends at pos + k, it fails from every start in [pos, pos + k] too: each would try a
   * subset of the same ends. When only success counts and it succeeded through end q, every start in
   * [pos, q - min] succeeds. Remembering the last such interval turns the usual unanchored scans
   * (`.*?X` tried from each start position, or inside a look-ahead) from quadratic into linear work.
   */
  const memoSetRep = (set: Uint8Array, min: number, greedy: boolean, next: Next, rememberSuccess: boolean): Next => {
    let gen = -1;
    let failLo = 0;
    let failHi = -1;
    let okLo = 0;
    let okHi = -1;
    const remember = (): void => {
      if (gen === searchGen) return;
      gen = searchGen;
      failHi = okHi = -1;
    };
    return (pos) => {
      if (++steps > PCRE_MATCH_LIMIT) throw LIMIT;
      if (gen === searchGen) {
        if (pos >= failLo && pos <= failHi) return false;
        if (pos >= okLo && pos <= okHi) return true;
      }
      let k = 0;
      const room = n - pos;
      while (k < room && set[s.charCodeAt(pos + k)] === 1) k++;
      if ((steps += k) > PCRE_MATCH_LIMIT) throw LIMIT;
      if (k >= min) {
        for (let j = greedy ? k : min; greedy ? j >= min : j <= k; j += greedy ? -1 : 1) {
          if (++steps > PCRE_MATCH_LIMIT) throw LIMIT;
          if (next(pos + j)) {
            if (rememberSuccess) {
              remember();
              okLo = pos;
              okHi = pos + j - min;
            }
            return true;
          }
        }
      }
      remember();
      failLo = pos;
      failHi = pos + k;
      return false;
    };
  };

  const compileRep = (a: Ast & { t: 'rep' }, next: Next, dir: 1 | -1): Next => {
    const { min, max, greedy } = a;
    if (max === 0) return next;
    const body = a.body;
    if (body.t === 'set' && dir === 1 && max === Infinity && pure) return memoSetRep(body.set, min, greedy, next, booleanOnly);
    if (body.t === 'set') {
      const set = body.set;
      // The byte at k steps from pos in the direction of the match.
      const at = dir === 1 ? (pos: number, k: number) => pos + k : (pos: number, k: number) => pos - 1 - k;
      const room = dir === 1 ? (pos: number) => n - pos : (pos: number) => pos;
      if (greedy) {
        return (pos) => {
          const limit = Math.min(max, room(pos));
          let k = 0;
          while (k < limit && set[s.charCodeAt(at(pos, k))] === 1) k++;
          if ((steps += k + 1) > PCRE_MATCH_LIMIT) throw LIMIT;
          for (let j = k; j >= min; j--) {
            if (++steps > PCRE_MATCH_LIMIT) throw LIMIT;
            if (next(pos + dir * j)) return true;
          }
          return false;
        };
      }
      return (pos) => {
        const limit = Math.min(max, room(pos));
        let j = 0;
        while (j < min) {
          if (j >= limit || set[s.charCodeAt(at(pos, j))] !== 1) return false;
          j++;
        }
        if ((steps += j) > PCRE_MATCH_LIMIT) throw LIMIT;
        for (;;) {
          if (++steps > PCRE_MATCH_LIMIT) throw LIMIT;
          if (next(pos + dir * j)) return true;
          if (j >= limit || set[s.charCodeAt(at(pos, j))] !== 1) return false;
          j++;
        }
      };
    }
    const width = fixedWidth(body);
    const inside = recordedInside(body, recorded);
    if (width >= 0 && inside.length === 0 && !hasBackref(body)) {
      // Every match of the body ends at the same place and records nothing: the first way it matches
      // is as good as any, so iterations are a loop.
      const once = compileSub(body, accept, dir, ncap === 0, true);
      const stride = dir * width;
      if (width === 0) {
        // An empty iteration past the minimum is refused (ECMAScript), so at most one runs.
        return min > 0 ? (pos) => once(pos) && next(pos) : next;
      }
      if (greedy) {
        return (pos) => {
          let k = 0;
          while (k < max && once(pos + k * stride)) k++;
          for (let j = k; j >= min; j--) {
            if (++steps > PCRE_MATCH_LIMIT) throw LIMIT;
            if (next(pos + j * stride)) return true;
          }
          return false;
        };
      }
      return (pos) => {
        let j = 0;
        while (j < min) {
          if (!once(pos + j * stride)) return false;
          j++;
        }
        for (;;) {
          if (++steps > PCRE_MATCH_LIMIT) throw LIMIT;
          if (next(pos + j * stride)) return true;
          if (j >= max || !once(pos + j * stride)) return false;
          j++;
        }
      };
    }
    // The general case (ECMAScript RepeatMatcher): one stack level per iteration.
    let count = 0;
    let iterStart = -1;
    let bodyMatcher: Next = accept;
    const tryIteration = (pos: number): boolean => {
      if (++depth > PCRE_DEPTH_LIMIT) throw DEPTH;
      // An iteration saves and restores state on top of its body's own steps.
      if ((steps += 4) > PCRE_MATCH_LIMIT) throw LIMIT;
      // Captures inside the group start each iteration unset.
      const saved = inside.length === 0 ? undefined : saveCaps(inside);
      for (const g of inside) capStart[g] = capEnd[g] = -1;
      const startBefore = iterStart;
      iterStart = pos;
      const r = bodyMatcher(pos);
      iterStart = startBefore;
      depth--;
      if (!r && saved) restoreCaps(inside, saved);
      return r;
    };
    const decide = (pos: number): boolean => {
      if (++steps > PCRE_MATCH_LIMIT) throw LIMIT;
      if (count < min) return tryIteration(pos);
      if (count >= max) return next(pos);
      if (greedy) return tryIteration(pos) || next(pos);
      return next(pos) || tryIteration(pos);
    };
    const afterIteration: Next = (pos) => {
      // An iteration past the minimum that consumed nothing fails (ECMAScript), which ends the loop.
      if (count >= min && pos === iterStart) return false;
      const startBefore = iterStart;
      count++;
      const r = decide(pos);
      count--;
      iterStart = startBefore;
      return r;
    };
    bodyMatcher = compileSub(body, afterIteration, dir, false, false);
    return (pos) => {
      const countBefore = count;
      const startBefore = iterStart;
      count = 0;
      const r = decide(pos);
      count = countBefore;
      iterStart = startBefore;
      return r;
    };
  };

  const top = compile(ast, (pos) => {
    matchEnd = pos;
    return true;
  }, 1);

  const starts = new Uint8Array(256);
  const useStarts = !canBeEmpty(ast) && firstBytes(ast, starts);
  const onlyAtZero = !multiline && anchoredAtStart(ast);
  const required = rarestRequired(ast);
  /** True when the subject holds, at or after `from`, a byte of the required set (a cheap first test). */
  const hasRequired = (from: number): boolean => {
    if (required === undefined) return true;
    for (let k = from; k < n; k++) if (required[s.charCodeAt(k)] === 1) return true;
    return false;
  };

  const matcher: BacktrackMatcher = {
    end: 0,
    steps: 0,
    exceeded: undefined,
    search(subject: string, from: number): number {
      s = subject;
      n = subject.length;
      steps = 0;
      searchGen++;
      depth = 0;
      let found = -1;
      try {
        if (!hasRequired(from)) from = n + 1;
        const last = onlyAtZero ? Math.min(from, 0) : n;
        for (let start = from; start <= last; start++) {
          if (useStarts) {
            while (start < n && starts[s.charCodeAt(start)] !== 1) start++;
            if (start >= n) break;
          }
          if (ncap > 0) {
            capStart.fill(-1);
            capEnd.fill(-1);
          }
          if (top(start)) {
            found = start;
            break;
          }
        }
      } catch (e) {
        // A stack overflow is a limit reached too: the recursion limit is counted in iterations, and a
        // pattern nesting many groups in one iteration can still run out of stack first.
        if (e !== LIMIT && e !== DEPTH && !(e instanceof RangeError)) throw e;
        found = LIMIT_EXCEEDED;
        matcher.exceeded = e === LIMIT ? 'steps' : e === DEPTH ? 'depth' : 'stack';
      }
      if (found !== LIMIT_EXCEEDED) matcher.exceeded = undefined;
      matcher.steps = steps;
      matcher.end = matchEnd;
      s = '';
      return found;
    },
  };
  return matcher;
}
