/**
 * `pcre` — Perl-compatible regular expressions, run on RE2 (linear time) whenever the pattern allows.
 *
 * Bytes are matched as Latin-1 characters, so `\xff` matches the byte 0xff and match indices are byte
 * offsets. Patterns RE2 cannot run (look-around, back-references) run on Vigil's own backtracking matcher
 * (pcre-backtrack.ts, JavaScript RegExp semantics), which counts its steps and gives up a search past
 * PCRE_MATCH_LIMIT steps, as PCRE does past Snort's `pcre_match_limit`: the whole buffer is searched, and
 * no packet can hang the engine. A give-up is a non-match, counted in `EvalState.truncated`.
 *
 * Flags: i s m x (PCRE), A (anchored at the start position), E, G (ungreedy), R (relative to the cursor),
 * B (raw bytes), O (ignored: the match limit always applies, as with Snort 3's default pcre_override),
 * buffer flags U I P H D M C K S Y (Snort 2 HTTP buffers) and Suricata's V W Z Q.
 */
import { createRequire } from 'node:module';
import type RE2Type from 're2';
import { err, ok, type Result } from '../../../../core/result.js';
import { splitQuoted } from './content.js';
import { compileBacktrack, LIMIT_EXCEEDED, PatternError } from './pcre-backtrack.js';
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
/** What toJsSource rewrites besides `(?` groups (tested loosely: a false hit only takes the slow path). */
const JS_REWRITES = /\\[Az]|\[\^?\]|[*+?}]\+/;

const NOT_IN_RE2 = /\(\?<?[=!]|\\[1-9]|\(\?P=|\\k<|\(\?>|[*+?}]\+/;

/**
 * An RE2 compiled on first search; if RE2 refuses it then (a construct it lacks that NOT_IN_RE2 does not
 * spot, or a repeat count over its limit), the backtracking matcher runs the JavaScript form instead.
 */
function lazyRe2(source: string, flags: string, jsSource: string | undefined, jsFlags: string): Matcher {
  let re2: RE2Type | undefined;
  let fallback: Matcher | undefined;
  let failed = false;
  const m: Matcher = {
    end: 0,
    search(s: string, from: number): number {
      if (re2 === undefined && fallback === undefined) {
        if (failed) return -1;
        try {
          re2 = new (RE2())(source, flags);
        } catch {
          fallback = jsSource === undefined ? undefined : backtrackMatcher(jsSource, jsFlags);
          // Neither engine takes it: the pattern never matches.
          if (fallback === undefined) {
            failed = true;
            return -1;
          }
        }
      }
      if (fallback !== undefined) {
        const at = fallback.search(s, from);
        m.end = fallback.end;
        return at;
      }
      re2!.lastIndex = from;
      const r = re2!.exec(s);
      if (r === null) return -1;
      m.end = r.index + r[0].length;
      return r.index;
    },
  };
  return m;
}

/** The backtracking matcher, compiled on the first search; a pattern it does not take never matches. */
function lazyBacktrack(jsSource: string, jsFlags: string): Matcher {
  let compiled: Matcher | undefined | null;
  const m: Matcher = {
    end: 0,
    search(s: string, from: number): number {
      if (compiled === undefined) compiled = backtrackMatcher(jsSource, jsFlags) ?? null;
      if (compiled === null) return -1;
      const at = compiled.search(s, from);
      m.end = compiled.end;
      return at;
    },
  };
  return m;
}

/** The backtracking matcher for a JavaScript pattern, or undefined when it does not accept the pattern. */
function backtrackMatcher(jsSource: string, jsFlags: string): Matcher | undefined {
  try {
    return compileBacktrack(jsSource, jsFlags);
  } catch (e) {
    if (e instanceof PatternError) return undefined;
    throw e;
  }
}

/** What evalPcre needs from an engine: the leftmost match at or after `from`. */
interface Matcher {
  /** Start of the leftmost match at or after `from`, -1 when none, LIMIT_EXCEEDED when the search gave up. */
  search(s: string, from: number): number;
  /** End of the match search last returned. */
  end: number;
}

export interface PcreCfg {
  readonly source: string;
  readonly flags: string;
  readonly negated: boolean;
  readonly relative: boolean;
  readonly anchored: boolean;
  /** Buffer forced by a flag, or undefined to use the sticky buffer. */
  readonly buffer: string | undefined;
  /** re2: linear time; backtrack: the step-counting backtracking matcher (look-around, back-references). */
  readonly engine: 're2' | 'backtrack';
  /** For the backtracking matcher: the JavaScript form of the pattern it compiles. */
  readonly js: { readonly source: string; readonly flags: string } | undefined;
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
/**
 * True when translate would change nothing: no escape it rewrites (\Z \h \R \e \/, octal, a short \x).
 * Most patterns only use escapes both dialects share, and then no new string is built.
 */
function translateKeeps(src: string): boolean {
  for (let i = src.indexOf('\\'); i >= 0; i = src.indexOf('\\', i + 2)) {
    const n = src.charCodeAt(i + 1);
    // Z h R e /
    if (n === 0x5a || n === 0x68 || n === 0x52 || n === 0x65 || n === 0x2f) return false;
    if (n >= 0x30 && n <= 0x37) return false;
    if (n === 0x78 && src[i + 2] !== '{' && !(isHexDigit(src.charCodeAt(i + 2)) && isHexDigit(src.charCodeAt(i + 3)))) return false;
  }
  return true;
}

function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function translate(src: string): string {
  if (translateKeeps(src)) return src;
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
  // Nothing to rewrite (no group syntax, \A, \z, leading ] in a class or possessive quantifier): the
  // common case, answered without building a new string.
  if (!src.includes('(?') && !JS_REWRITES.test(src)) return src;
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
  let re: Matcher;
  let engine: PcreCfg['engine'];
  if (!needsBacktracking) {
    re = lazyRe2((ungreedy ? '(?U)' : '') + pattern, reFlags, js === undefined ? undefined : jsSource, jsFlags);
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
    // Compiled on first use, like RE2 (most rules never reach their pcre). RegExp accepted the syntax
    // above, and the matcher takes every pattern RegExp takes (pcre-backtrack.test.ts compiles every
    // look-around / back-reference pattern of the shared rulesets).
    re = lazyBacktrack(jsSource, jsFlags);
    engine = 'backtrack';
  }
  return ok({
    source: body,
    flags,
    negated: q.value.negated,
    relative: flags.includes('R'),
    anchored,
    buffer,
    engine,
    js: engine === 'backtrack' ? { source: jsSource, flags: jsFlags } : undefined,
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
  const at = re.search(m.str!, from);
  if (at < 0) {
    // Snort treats a search stopped by pcre_match_limit as no match, and counts it.
    if (at === LIMIT_EXCEEDED) m.state.truncated++;
    return c.negated;
  }
  const found = !c.anchored || at === from;
  if (c.negated) return !found;
  if (!found) return false;
  m.lastStart = base + at;
  m.cursor = base + re.end;
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
  // The config (and its lazily compiled RE2) is shared by identical pcre options: a search takes its
  // start position as an argument, and nothing else in the matcher outlives one search.
  parse: (args) => (args === undefined ? parsePcre(args) : sharedParse('pcre', args, parsePcre)),
  key: (c) => `${c.negated ? '!' : ''}${c.source}`,
  eval: evalPcre,
});
