/**
 * `pcre` — Perl-compatible regular expressions, run on RE2 (linear time) whenever the pattern allows.
 *
 * Bytes are matched as Latin-1 characters, so `\xff` matches the byte 0xff and match indices are byte
 * offsets. Patterns RE2 cannot run (look-around, back-references) fall back to JavaScript's RegExp with a
 * static bound instead of a clock (deterministic: the same packets always give the same alerts): a pattern
 * with an unbounded quantifier inside an unboundedly repeated group (possible exponential backtracking) is
 * refused at load time; any other pattern has polynomial worst-case work of degree `backtrackDegree`, and
 * the fallback sees at most `jsWindow(degree)` bytes from its start position so that work stays under
 * PCRE_JS_STEPS. No packet can hang the engine.
 *
 * Flags: i s m x (PCRE), A (anchored at the start position), E, G (ungreedy), R (relative to the cursor),
 * B (raw bytes), O (ignored: match limits do not apply to RE2), buffer flags U I P H D M C K S Y
 * (Snort 2 HTTP buffers) and Suricata's V W Z Q.
 */
import { createRequire } from 'node:module';
import type RE2Type from 're2';
import { err, ok, type Result } from '../../../../core/result.js';
import { splitQuoted } from './content.js';
import { sharedParse } from './search.js';
import { defineOption, type MatchContext } from './types.js';

/** Buffer selected by a pcre buffer flag. */
export const PCRE_BUFFER_FLAGS: Readonly<Record<string, string>> = {
  U: 'http_uri',
  I: 'http_raw_uri',
  P: 'http_client_body',
  H: 'http_header',
  D: 'http_raw_header',
  M: 'http_method',
  C: 'http_cookie',
  K: 'http_raw_cookie',
  S: 'http_stat_code',
  Y: 'http_stat_msg',
  V: 'http_user_agent',
  W: 'http_host',
  Z: 'http_raw_host',
  Q: 'file_data',
  B: 'raw_data',
};

/**
 * The RE2 add-on, loaded on first use: rules compile their RE2 lazily, so loading rules (and
 * `--check-rules`) need not load the native module at all.
 */
let re2Class: typeof RE2Type | undefined;
function RE2(): typeof RE2Type {
  return (re2Class ??= createRequire(import.meta.url)('re2') as typeof RE2Type);
}

/** PCRE features RE2 does not have: look-around, back-references, atomic groups, possessive quantifiers. */
const NOT_IN_RE2 = /\(\?<?[=!]|\\[1-9]|\(\?P=|\\k<|\(\?>|[*+?}]\+/;

/** An RE2 compiled on first exec; if RE2 refuses it then, the JavaScript RegExp (guarded) is used. */
function lazyRe2(source: string, flags: string, js: RegExp | undefined, jsSource: string, jsFlags: string): Matcher {
  let compiled: Matcher | undefined;
  let window = -1;
  const m: Matcher = {
    lastIndex: 0,
    exec(s: string): RegExpExecArray | null {
      if (!compiled) {
        try {
          compiled = new (RE2())(source, flags) as unknown as Matcher;
        } catch {
          const degree = js === undefined ? undefined : backtrackDegree(jsSource, jsFlags);
          // Unboundable on the JavaScript engine too: the pattern never matches.
          if (degree === undefined) return null;
          compiled = js!;
          window = jsWindow(degree);
        }
      }
      compiled.lastIndex = m.lastIndex;
      if (window >= 0) return boundedExec(compiled as RegExp, s, window);
      return compiled.exec(s);
    },
  };
  return m;
}

interface Matcher {
  lastIndex: number;
  exec(s: string): RegExpExecArray | null;
}

export interface PcreCfg {
  readonly source: string;
  readonly flags: string;
  readonly negated: boolean;
  readonly relative: boolean;
  readonly anchored: boolean;
  /** Buffer forced by a flag, or undefined to use the sticky buffer. */
  readonly buffer: string | undefined;
  /** re2: linear time; js-bounded: JavaScript RegExp on at most `window` bytes (see jsWindow). */
  readonly engine: 're2' | 'js-bounded';
  /** Bytes the JavaScript fallback sees from its start position (Infinity for RE2). */
  readonly window: number;
  readonly re: Matcher;
}

/** Strips whitespace and # comments outside character classes (PCRE's x flag), since RE2 has no x. */
function stripExtended(src: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === '\\') {
      out += ch + (src[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      out += ch;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      out += ch;
      if (src[i + 1] === ']') {
        out += ']';
        i++;
      }
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') continue;
    if (ch === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    out += ch;
  }
  return out;
}

/** PCRE-only escapes rewritten for RE2/JS. */
function translate(src: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === '\\') {
      const n = src[i + 1] ?? '';
      i++;
      if (n === 'Z') out += inClass ? 'Z' : '(?:\\n?\\z)';
      else if (n === 'h') out += inClass ? ' \\t' : '[ \\t]';
      else if (n === 'R') out += '(?:\\r\\n|\\n|\\r)';
      else if (n === 'e') out += '\\x1b';
      else if (n === '/') out += '/';
      else if (n === 'x' && src[i + 1] !== '{' && !/^[0-9a-fA-F]{2}/.test(src.slice(i + 1, i + 3))) {
        // PCRE accepts \x with 0-1 hex digits.
        const m = /^[0-9a-fA-F]?/.exec(src.slice(i + 1))![0];
        out += '\\x' + m.padStart(2, '0');
        i += m.length;
      } else if (/[0-7]/.test(n) && n !== '0' && !inClass && !/[0-7]/.test(src[i + 1] ?? '')) out += '\\' + n; // back-reference
      else if (/[0-7]/.test(n)) {
        // Octal escape \0, \012, \101.
        const m = /^[0-7]{1,3}/.exec(src.slice(i))![0];
        out += '\\x' + (parseInt(m, 8) & 0xff).toString(16).padStart(2, '0');
        i += m.length - 1;
      } else out += '\\' + n;
      continue;
    }
    if (ch === '[' && !inClass) inClass = true;
    else if (ch === ']' && inClass) inClass = false;
    out += ch;
  }
  return out;
}

/** Rewrites PCRE syntax JavaScript lacks: named groups, possessive quantifiers, atomic groups, \\A, \\z. */
export function toJsSource(src: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === '\\') {
      const n = src[i + 1] ?? '';
      i++;
      if (!inClass && n === 'A') out += '(?<![\\s\\S])';
      else if (!inClass && n === 'z') out += '(?![\\s\\S])';
      else out += '\\' + n;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      out += ch;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      out += ch;
      if (src[i + 1] === '^') out += src[++i];
      if (src[i + 1] === ']') out += '\\' + src[++i];
      continue;
    }
    if (ch === '(' && src.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
      continue;
    }
    if (ch === '(' && src.startsWith('(?P=', i)) {
      const end = src.indexOf(')', i);
      out += `\\k<${src.slice(i + 4, end)}>`;
      i = end;
      continue;
    }
    if (ch === '(' && src.startsWith('(?i:', i)) {
      // JavaScript (Node 20) has no scoped flags: spell the group's letters in both cases.
      const end = groupEnd(src, i);
      out += '(?:' + toJsSource(foldCase(src.slice(i + 4, end))) + ')';
      i = end;
      continue;
    }
    if (ch === '(' && (src.startsWith('(?-i)', i) || src.startsWith('(?i)', i))) {
      // A mid-pattern flag switch cannot be expressed; matching stays as the outer flags say (documented).
      i += src[i + 2] === '-' ? 4 : 3;
      continue;
    }
    if (ch === '(' && src.startsWith('(?>', i)) {
      out += '(?:';
      i += 2;
      continue;
    }
    // Possessive quantifiers (*+ ++ ?+ }+) become greedy ones: a superset of their matches.
    if (ch === '+' && i > 0 && /[*+?}]/.test(src[i - 1]!) && src[i - 2] !== '\\') continue;
    out += ch;
  }
  return out;
}

/** Index of the ')' closing the group opened at `open`. */
function groupEnd(src: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return src.length - 1;
}

/** Rewrites ASCII letters so they match either case: `a` -> `[aA]`, `[a-c]` -> `[a-cA-C]`. */
function foldCase(src: string): string {
  let out = '';
  let inClass = false;
  let classExtra = '';
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === '\\') {
      out += ch + (src[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') {
        out += classExtra + ']';
        inClass = false;
        continue;
      }
      if (/[a-zA-Z]/.test(ch)) {
        const other = ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase();
        if (src[i + 1] === '-' && /[a-zA-Z]/.test(src[i + 2] ?? '')) {
          const hi = src[i + 2]!;
          const otherHi = hi === hi.toLowerCase() ? hi.toUpperCase() : hi.toLowerCase();
          out += `${ch}-${hi}`;
          classExtra += `${other}-${otherHi}`;
          i += 2;
          continue;
        }
        classExtra += other;
      }
      out += ch;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      classExtra = '';
      out += ch;
      if (src[i + 1] === '^') out += src[++i];
      continue;
    }
    if (/[a-zA-Z]/.test(ch)) out += `[${ch.toLowerCase()}${ch.toUpperCase()}]`;
    else out += ch;
  }
  return out;
}

/** Upper bound on backtracking steps of one JavaScript-fallback execution (about 20-60 ms worst case). */
export const PCRE_JS_STEPS = 1 << 24;

/**
 * Byte sets of the degree analysis, reused: a pattern needs a few at a time (those of one atom and the
 * atoms after it), and a fresh 256-byte array per atom made the analysis of the community rules'
 * look-around patterns cost 70 ms. computeDegree releases them all before each atom.
 */
const setPool: Uint8Array[] = [];
let setsUsed = 0;

/** An all-zero byte set from the pool, valid until computeDegree moves to its next atom. */
function newSet(): Uint8Array {
  const set = setPool[setsUsed] ?? (setPool[setsUsed] = new Uint8Array(256));
  setsUsed++;
  return set.fill(0);
}

/** Bytes (Latin-1) an escape like `\s` or `\x41` matches, or undefined for assertions/back-references. */
function escapeSet(src: string, i: number): { set: Uint8Array | undefined; end: number } {
  const set = newSet();
  const n = src[i + 1] ?? '';
  const range = (lo: number, hi: number) => set.fill(1, lo, hi + 1);
  const sp = () => [9, 10, 11, 12, 13, 32, 0xa0].forEach((c) => (set[c] = 1));
  const word = () => {
    range(48, 57);
    range(65, 90);
    range(97, 122);
    set[95] = 1;
  };
  let end = i + 2;
  if (n === 'x') {
    const m = /^[0-9a-fA-F]{2}/.exec(src.slice(i + 2, i + 4));
    if (!m) return { set: undefined, end };
    set[parseInt(m[0], 16)] = 1;
    end = i + 4;
  } else if (n === 'd') range(48, 57);
  else if (n === 'D') (range(0, 255), set.fill(0, 48, 58));
  else if (n === 's') sp();
  else if (n === 'S') {
    sp();
    for (let c = 0; c < 256; c++) set[c] = set[c] ? 0 : 1;
  } else if (n === 'w') word();
  else if (n === 'W') {
    word();
    for (let c = 0; c < 256; c++) set[c] = set[c] ? 0 : 1;
  } else if (n === 'r') set[13] = 1;
  else if (n === 'n') set[10] = 1;
  else if (n === 't') set[9] = 1;
  else if (n === 'f') set[12] = 1;
  else if (n === 'v') set[11] = 1;
  else if (/[^a-zA-Z0-9]/.test(n) && n !== '') set[n.charCodeAt(0) & 0xff] = 1;
  else return { set: undefined, end };
  return { set, end };
}

/** The one byte a set holds, or -1. */
function singleByte(set: Uint8Array): number {
  let found = -1;
  for (let c = 0; c < 256; c++) {
    if (set[c] === 0) continue;
    if (found >= 0) return -1;
    found = c;
  }
  return found;
}

/** Bytes a `[...]` class starting at i matches (approximate: undefined when unsure), and where it ends. */
function classSet(src: string, i: number): { set: Uint8Array | undefined; end: number } {
  const set = newSet();
  let j = i + 1;
  const negated = src[j] === '^';
  if (negated) j++;
  let sure = true;
  let first = true;
  while (j < src.length && (src[j] !== ']' || first)) {
    first = false;
    let code: number;
    if (src[j] === '\\') {
      const e = escapeSet(src, j);
      if (e.set === undefined) {
        sure = false;
        j = e.end;
        continue;
      }
      code = singleByte(e.set);
      for (let c = 0; c < 256; c++) if (e.set[c]) set[c] = 1;
      j = e.end;
    } else {
      code = src.charCodeAt(j) & 0xff;
      set[code] = 1;
      j++;
    }
    if (src[j] === '-' && src[j + 1] !== ']' && code >= 0) {
      // A range: lo-hi.
      let hi: number;
      if (src[j + 1] === '\\') {
        const e = escapeSet(src, j + 1);
        hi = e.set ? singleByte(e.set) : -1;
        if (hi < 0) return { set: undefined, end: e.end };
        j = e.end;
      } else {
        hi = src.charCodeAt(j + 1) & 0xff;
        j += 2;
      }
      if (hi >= code) set.fill(1, code, hi + 1);
    }
  }
  if (negated) for (let c = 0; c < 256; c++) set[c] = set[c] ? 0 : 1;
  return { set: sure ? set : undefined, end: j + 1 };
}

/**
 * Worst-case backtracking degree of a JavaScript regex source: the work on n bytes is O(n^degree).
 * 1 for the start positions, plus one per quantifier that can take a variable number of iterations
 * (`*`, `+`, `{n,}`, `{n,m}` with m > n) and is ambiguous, multiplied through fixed repeats `(...){k}`,
 * plus one if there are unambiguous ones or back-references (a linear scan per attempt). A variable
 * quantifier on a byte set followed by a required byte outside that set (`[^']*'`, `\s*,`) is
 * unambiguous: it can stop at one place only. Returns undefined when a variable quantifier repeats a
 * group that can match in more than one way (star height 2, possibly exponential), which no window bounds.
 *
 * @example
 * backtrackDegree('^CEL(?!\\n)\\s[^\\n]{100}', ''); // 1
 * backtrackDegree('(a+)+b', ''); // undefined
 */
export function backtrackDegree(src: string, flags: string): number | undefined {
  // Rulesets repeat patterns (the Oracle overflow family): analyse each once.
  const key = flags + '/' + src;
  if (degreeCache.has(key)) return degreeCache.get(key);
  const d = computeDegree(src, flags);
  if (degreeCache.size > 10_000) degreeCache.clear();
  degreeCache.set(key, d);
  return d;
}

const degreeCache = new Map<string, number | undefined>();

function computeDegree(src: string, flags: string): number | undefined {
  const fold = flags.includes('i');
  const dotAll = flags.includes('s');
  const stack: { d: number; best: number; amb: boolean; look?: boolean }[] = [{ d: 0, best: 0, amb: false }];
  let linear = false;
  let i = 0;
  /** Reads a quantifier at i: 'var' (variable count), or a fixed count (1 when none, or `?`); advances i. */
  const quant = (): 'var' | 'opt' | number => {
    const ch = src[i];
    let q: 'var' | 'opt' | number = 1;
    if (ch === '*' || ch === '+') {
      q = ch === '*' ? 'var' : 'var';
      i++;
    } else if (ch === '?') {
      i++;
      q = 'opt';
    } else if (ch === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i));
      if (m) {
        i += m[0].length;
        const lo = Number(m[1]);
        q = m[2] !== undefined && (m[3] === '' || Number(m[3]) > lo) ? 'var' : lo;
      }
    }
    if (q !== 1 && (src[i] === '?' || src[i] === '+')) i++;
    return q;
  };
  /** The byte set of a single-byte atom at j, if it is one. */
  const atomAt = (j: number): { set: Uint8Array | undefined; end: number } | undefined => {
    const ch = src[j];
    if (ch === undefined || ch === '(' || ch === ')' || ch === '|' || ch === '^' || ch === '$') return undefined;
    if (ch === '[') return classSet(src, j);
    if (ch === '\\') return escapeSet(src, j);
    if (ch === '.') {
      const set = newSet().fill(1);
      if (!dotAll) set[10] = 0;
      return { set, end: j + 1 };
    }
    if (ch === '*' || ch === '+' || ch === '?' || ch === '{') return undefined;
    const set = newSet();
    set[ch.charCodeAt(0) & 0xff] = 1;
    return { set, end: j + 1 };
  };
  const foldSet = (set: Uint8Array) => {
    if (!fold) return set;
    const out = newSet();
    out.set(set);
    for (let c = 65; c <= 90; c++) if (set[c] || set[c + 32]) out[c] = out[c + 32] = 1;
    return out;
  };
  /** True when the atom at i (just after a quantifier) is required and shares no byte with `set`. */
  const disjointNext = (set: Uint8Array | undefined): boolean => {
    if (set === undefined) return false;
    const a = foldSet(set);
    const firsts = src[i] === '(' && src[i + 1] !== '?' ? branchStarts(i + 1) : [i];
    if (firsts === undefined) return false;
    for (const j of firsts) {
      const next = atomAt(j);
      if (next === undefined || next.set === undefined) return false;
      const after = src[next.end];
      if (after === '*' || after === '?' || (after === '{' && /^\{0[,}]/.test(src.slice(next.end)))) return false;
      const b = foldSet(next.set);
      for (let c = 0; c < 256; c++) if (a[c] && b[c]) return false;
    }
    return true;
  };
  /** Start offsets of the branches of the plain group whose body starts at j (undefined if nested groups). */
  const branchStarts = (j: number): number[] | undefined => {
    const starts = [j];
    let inCls = false;
    for (let k = j; k < src.length; k++) {
      const c = src[k];
      if (c === '\\') k++;
      else if (inCls) inCls = c !== ']';
      else if (c === '[') inCls = true;
      else if (c === '(') return undefined;
      else if (c === '|') starts.push(k + 1);
      else if (c === ')') return starts;
    }
    return undefined;
  };
  const top = () => stack[stack.length - 1]!;
  while (i < src.length) {
    // Byte sets of the previous atom are dead (see newSet).
    setsUsed = 0;
    const ch = src[i]!;
    if (ch === '(') {
      // Look-arounds are atomic in JavaScript: once decided, they are never re-entered by backtracking.
      const look = src[i + 1] === '?' && (src[i + 2] === '=' || src[i + 2] === '!' || (src[i + 2] === '<' && (src[i + 3] === '=' || src[i + 3] === '!')));
      stack.push({ d: 0, best: 0, amb: false, look });
      i += src[i + 1] === '?' ? (src[i + 2] === '<' && src[i + 3] !== '=' && src[i + 3] !== '!' ? 3 : src[i + 2] === '<' ? 4 : 3) : 1;
      if (src[i - 1] === '<') {
        // Named group: skip the name.
        const close = src.indexOf('>', i);
        if (close > 0 && /^\w+$/.test(src.slice(i, close))) i = close + 1;
      }
      continue;
    }
    if (ch === '|') {
      // Branches are tried one after another: the group costs its costliest branch.
      const t = top();
      t.best = Math.max(t.best, t.d);
      t.d = 0;
      t.amb = true;
      i++;
      continue;
    }
    if (ch === ')') {
      const inner = stack.length > 1 ? stack.pop()! : { d: 0, best: 0, amb: false };
      inner.d = Math.max(inner.d, inner.best);
      i++;
      const q = quant();
      const t = top();
      if (q === 'var') {
        if (inner.amb) return undefined;
        // n iterations, each paying the group's own (look-around) cost.
        t.d += 1 + inner.d;
        t.amb = true;
      } else {
        t.d += inner.d * (q === 'opt' ? 1 : q);
        t.amb ||= (inner.amb && inner.look !== true) || q === 'opt';
      }
      continue;
    }
    if (ch === '\\' && (/[1-9]/.test(src[i + 1] ?? '') || src[i + 1] === 'k')) {
      linear = true;
      i += 2;
      if (src[i - 1] === 'k') i = src.indexOf('>', i) + 1 || src.length;
      continue;
    }
    const at = atomAt(i);
    i = at === undefined ? i + 1 : at.end;
    const q = quant();
    if (q === 'var') {
      if (disjointNext(at?.set)) linear = true;
      else {
        top().d++;
        top().amb = true;
      }
    } else if (q === 'opt') top().amb = true;
  }
  return 1 + stack.reduce((a, g) => a + Math.max(g.d, g.best), 0) + (linear ? 1 : 0);
}

/** Bytes from the start position the fallback may see so that window^degree <= PCRE_JS_STEPS. */
export function jsWindow(degree: number): number {
  return Math.max(1, Math.floor(Math.pow(PCRE_JS_STEPS, 1 / degree) + 1e-9));
}

/** Runs a RegExp on at most `window` characters from its lastIndex (bounded, deterministic work). */
function boundedExec(re: RegExp, s: string, window: number): RegExpExecArray | null {
  const from = re.lastIndex;
  if (s.length - from <= window) return re.exec(s);
  return re.exec(s.slice(0, from + window));
}

export function parsePcre(args: string | undefined): Result<PcreCfg> {
  if (args === undefined) return err('pcre needs a quoted /pattern/flags');
  const q = splitQuoted(args);
  if (!q.ok) return q;
  if (q.value.rest !== '') return err('pcre takes one quoted argument');
  const body = q.value.body;
  let pattern: string;
  let flags: string;
  // "/pattern/flags", or Perl's "m<d>pattern<d>flags" with any delimiter d.
  const mForm = body.startsWith('m') && body.length > 1 && !/[\w\s\\]/.test(body[1]!);
  const delim = mForm ? body[1]! : '/';
  const startAt = mForm ? 1 : 0;
  if (body[startAt] !== delim) return err(`pcre must look like "/pattern/flags", got ${JSON.stringify(body.slice(0, 40))}`);
  const endAt = body.lastIndexOf(delim);
  if (endAt <= startAt) return err('pcre has no closing delimiter');
  pattern = body.slice(startAt + 1, endAt);
  flags = body.slice(endAt + 1);
  if (!/^[ismxAEGRUIPHDMCKSYBOVWZQLN]*$/.test(flags)) return err(`unknown pcre flag in ${JSON.stringify(flags)}`);
  // Content strings escape quotes and semicolons; the regex sees them unescaped.
  pattern = pattern.replace(/\\(["";])/g, '$1');
  let buffer: string | undefined;
  for (const f of flags) {
    const b = PCRE_BUFFER_FLAGS[f];
    if (b !== undefined) {
      if (buffer !== undefined && buffer !== b) return err(`pcre flags select two buffers (${buffer}, ${b})`);
      buffer = b;
    }
  }
  if (flags.includes('x')) pattern = stripExtended(pattern);
  pattern = translate(pattern);
  let reFlags = 'g';
  if (flags.includes('i')) reFlags += 'i';
  if (flags.includes('s')) reFlags += 's';
  if (flags.includes('m')) reFlags += 'm';
  const anchored = flags.includes('A');
  const ungreedy = flags.includes('G');
  // RE2 compiles lazily on first use (most rules never reach their pcre); here the syntax is checked with
  // the JavaScript parser, and patterns using what RE2 lacks go to the JavaScript engine right away.
  let jsSource = toJsSource(pattern);
  const inline = /^\(\?([imsx]+)\)/.exec(jsSource);
  let jsFlags = reFlags;
  if (inline) {
    jsSource = jsSource.slice(inline[0].length);
    for (const f of inline[1]!) if (f !== 'x' && !jsFlags.includes(f)) jsFlags += f;
  }
  let js: RegExp | undefined;
  try {
    js = new RegExp(jsSource, jsFlags);
  } catch {
    js = undefined;
  }
  const needsBacktracking = NOT_IN_RE2.test(pattern);
  // Only patterns that may reach the JavaScript engine are analysed (at load for look-around ones, on
  // first use for the rare pattern RE2 refuses).
  const degree = js !== undefined && needsBacktracking ? backtrackDegree(jsSource, jsFlags) : undefined;
  const window = degree === undefined ? 0 : jsWindow(degree);
  let re: Matcher;
  let engine: PcreCfg['engine'];
  if (!needsBacktracking) {
    re = lazyRe2((ungreedy ? '(?U)' : '') + pattern, reFlags, js, jsSource, jsFlags);
    engine = 're2';
    if (!js) {
      // JavaScript rejects some valid PCRE/RE2 syntax (\x{...}, (?i) mid-pattern...): let RE2 judge now.
      try {
        new (RE2())((ungreedy ? '(?U)' : '') + pattern, reFlags);
      } catch (e) {
        return err(`pcre does not compile: ${(e as Error).message}`);
      }
    }
  } else {
    if (ungreedy) return err('pcre with G (ungreedy) needs RE2, but the pattern uses look-around or back-references');
    if (!js) return err('pcre does not compile (look-around/back-reference pattern rejected by the JavaScript engine)');
    if (degree === undefined) {
      return err('pcre needs backtracking (look-around/back-reference) and repeats a group holding a variable quantifier: its run time cannot be bounded');
    }
    re = js;
    engine = 'js-bounded';
  }
  return ok({
    source: body,
    flags,
    negated: q.value.negated,
    relative: flags.includes('R'),
    anchored,
    buffer,
    engine,
    window: engine === 're2' ? Infinity : window,
    re,
  });
}

/** Evaluates a pcre; on a match the cursor moves to the end of the match. */
export function evalPcre(c: PcreCfg, m: MatchContext): boolean {
  const base = c.relative ? m.cursor : 0;
  if (base > m.buf.length) return c.negated;
  if (m.str === undefined || m.strFrom !== base || m.strBuf !== m.buf || m.strPkt !== m.pkt) {
    m.str = m.view.toString('latin1', base, m.buf.length);
    m.strFrom = base;
    m.strBuf = m.buf;
    m.strPkt = m.pkt;
  }
  const from = m.minStart > base ? m.minStart - base : 0;
  m.minStart = -1;
  const re = c.re;
  re.lastIndex = from;
  let r: RegExpExecArray | null;
  if (c.engine === 'js-bounded') {
    if (m.str!.length - from > c.window) m.state.truncated++;
    r = boundedExec(re as RegExp, m.str!, c.window);
  } else r = re.exec(m.str!);
  if (r === null) return c.negated;
  const found = !c.anchored || r.index === from;
  if (c.negated) return !found;
  if (!found) return false;
  m.lastStart = base + r.index;
  m.cursor = base + r.index + r[0].length;
  return true;
}

export const pcre = defineOption<PcreCfg>({
  name: 'pcre',
  kind: 'match',
  help: 'match a Perl-compatible regular expression against the current (or flag-selected) buffer',
  params: [
    { name: 'regex', type: 'string', help: '"/pattern/flags"; ! before the quote negates' },
    { name: 'flags', type: 'string', help: 'i s m x A E G R (relative) B (raw) O, HTTP buffer flags U I P H D M C K S Y' },
  ],
  usesBuffer: true,
  retryable: (c) => !c.negated,
  // The config (and its lazily compiled RE2) is shared by identical pcre options: the matcher's
  // lastIndex is set before every exec, and nothing else in it changes after parsing.
  parse: (args) => (args === undefined ? parsePcre(args) : sharedParse('pcre', args, parsePcre)),
  key: (c) => `${c.negated ? '!' : ''}${c.source}`,
  eval: evalPcre,
});
