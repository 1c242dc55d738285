/**
 * `pcre` — Perl-compatible regular expressions, run on RE2 (linear time) whenever the pattern allows.
 *
 * Bytes are matched as Latin-1 characters, so `\xff` matches the byte 0xff and match indices are byte
 * offsets. Patterns RE2 cannot run (look-around, back-references) fall back to JavaScript's RegExp, always
 * under a PCRE_GUARD_MS time limit per execution (node:vm): a backtracking engine can be slow even without
 * nested quantifiers (overlapping alternations, look-arounds inside lazy loops), so no static check is
 * trusted; a timeout counts as no match and in EvalState.truncated. No packet can hang the engine.
 *
 * Flags: i s m x (PCRE), A (anchored at the start position), E, G (ungreedy), R (relative to the cursor),
 * B (raw bytes), O (ignored: match limits do not apply to RE2), buffer flags U I P H D M C K S Y
 * (Snort 2 HTTP buffers) and Suricata's V W Z Q.
 */
import { Script, createContext } from 'node:vm';
import RE2 from 're2';
import { err, ok, type Result } from '../../../../core/result.js';
import { splitQuoted } from './content.js';
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

/** PCRE features RE2 does not have: look-around, back-references, atomic groups, possessive quantifiers. */
const NOT_IN_RE2 = /\(\?<?[=!]|\\[1-9]|\(\?P=|\\k<|\(\?>|[*+?}]\+/;

/** An RE2 compiled on first exec; if RE2 refuses it then, the JavaScript RegExp (guarded) is used. */
function lazyRe2(source: string, flags: string, js: RegExp | undefined): Matcher {
  let compiled: Matcher | undefined;
  let guarded = false;
  const m: Matcher = {
    lastIndex: 0,
    exec(s: string): RegExpExecArray | null {
      if (!compiled) {
        try {
          compiled = new RE2(source, flags) as unknown as Matcher;
        } catch {
          if (!js) return null;
          compiled = js;
          guarded = true;
        }
      }
      compiled.lastIndex = m.lastIndex;
      if (guarded) {
        const g = guardedExec(compiled as RegExp, s);
        return g === 'timeout' ? null : g;
      }
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
  /** re2: linear time; js-guarded: JavaScript RegExp under a time limit per execution. */
  readonly engine: 're2' | 'js-guarded';
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

const guardContext = createContext({ re: null as RegExp | null, s: '', r: null as RegExpExecArray | null });
const guardScript = new Script('r = re.exec(s)');
/** Time limit for one guarded (possibly backtracking) JavaScript regex execution. */
export const PCRE_GUARD_MS = 50;

/** Runs a RegExp under a time limit; returns null on timeout (counted by the caller). */
function guardedExec(re: RegExp, s: string): RegExpExecArray | null | 'timeout' {
  guardContext['re'] = re;
  guardContext['s'] = s;
  guardContext['r'] = null;
  try {
    guardScript.runInContext(guardContext, { timeout: PCRE_GUARD_MS });
  } catch {
    // ERR_SCRIPT_EXECUTION_TIMEOUT: the pattern backtracked too long on this input.
    return 'timeout';
  }
  return guardContext['r'] as RegExpExecArray | null;
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
    re = lazyRe2((ungreedy ? '(?U)' : '') + pattern, reFlags, js);
    engine = 're2';
    if (!js) {
      // JavaScript rejects some valid PCRE/RE2 syntax (\x{...}, (?i) mid-pattern...): let RE2 judge now.
      try {
        new RE2((ungreedy ? '(?U)' : '') + pattern, reFlags);
      } catch (e) {
        return err(`pcre does not compile: ${(e as Error).message}`);
      }
    }
  } else {
    if (ungreedy) return err('pcre with G (ungreedy) needs RE2, but the pattern uses look-around or back-references');
    if (!js) return err('pcre does not compile (look-around/back-reference pattern rejected by the JavaScript engine)');
    re = js;
    engine = 'js-guarded';
  }
  return ok({
    source: body,
    flags,
    negated: q.value.negated,
    relative: flags.includes('R'),
    anchored,
    buffer,
    engine,
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
  if (c.engine === 'js-guarded') {
    const g = guardedExec(re as RegExp, m.str!);
    if (g === 'timeout') {
      m.state.truncated++;
      return false;
    }
    r = g;
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
  parse: (args) => parsePcre(args),
  key: (c) => `${c.negated ? '!' : ''}${c.source}`,
  eval: evalPcre,
});
