/**
 * `pcre` — Perl-compatible regular expressions, run on RE2 (linear time) whenever the pattern allows.
 *
 * Bytes are matched as Latin-1 characters, so `\xff` matches the byte 0xff and match indices are byte
 * offsets. Patterns RE2 cannot run (look-around, back-references) fall back to JavaScript's RegExp only
 * when a static check proves they cannot backtrack catastrophically (no nested quantifiers, i.e. star
 * height <= 1); other such patterns are refused at load time with a reason, so no packet can hang the engine.
 *
 * Flags: i s m x (PCRE), A (anchored at the start position), E, G (ungreedy), R (relative to the cursor),
 * B (raw bytes), O (ignored: match limits do not apply to RE2), buffer flags U I P H D M C K S Y
 * (Snort 2 HTTP buffers) and Suricata's V W Z Q.
 */
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
  readonly engine: 're2' | 'js';
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

/** True when no quantified group contains another quantifier (star height <= 1): no catastrophic backtracking. */
export function isBacktrackSafe(src: string): boolean {
  const stack: boolean[] = []; // per open group: contains a quantifier
  let inClass = false;
  let lastGroupHadQuant = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === '\\') {
      i++;
      lastGroupHadQuant = false;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      lastGroupHadQuant = false;
    } else if (ch === '(') stack.push(false);
    else if (ch === ')') {
      lastGroupHadQuant = stack.pop() ?? false;
      if (lastGroupHadQuant && stack.length > 0) stack[stack.length - 1] = true;
      continue;
    } else if (ch === '*' || ch === '+' || ch === '{' || (ch === '?' && src[i - 1] !== '(')) {
      if (lastGroupHadQuant && ch !== '?') return false;
      if (ch !== '?' && stack.length > 0) stack[stack.length - 1] = true;
    }
    lastGroupHadQuant = false;
  }
  return true;
}

export function parsePcre(args: string | undefined): Result<PcreCfg> {
  if (args === undefined) return err('pcre needs a quoted /pattern/flags');
  const q = splitQuoted(args);
  if (!q.ok) return q;
  if (q.value.rest !== '') return err('pcre takes one quoted argument');
  const body = q.value.body;
  let pattern: string;
  let flags: string;
  const m = /^(?:m(.))?/.exec(body)!;
  const delim = m[1] ?? '/';
  const startAt = m[1] ? 2 : 0;
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
  let re: Matcher;
  let engine: 're2' | 'js';
  try {
    re = new RE2((ungreedy ? '(?U)' : '') + pattern, reFlags) as unknown as Matcher;
    engine = 're2';
  } catch (e2) {
    if (ungreedy) return err('pcre with G (ungreedy) needs RE2, which cannot compile this pattern');
    let js: RegExp;
    try {
      js = new RegExp(pattern.replace(/\(\?P</g, '(?<'), reFlags);
    } catch (e) {
      return err(`pcre does not compile: ${(e as Error).message} (RE2: ${(e2 as Error).message})`);
    }
    if (!isBacktrackSafe(pattern)) {
      return err('pcre needs look-around or back-references (not in RE2) and has nested quantifiers that could backtrack without bound');
    }
    re = js;
    engine = 'js';
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
  if (m.str === undefined || m.strFrom !== base) {
    m.str = m.view.toString('latin1', base, m.buf.length);
    m.strFrom = base;
  }
  const from = m.minStart > base ? m.minStart - base : 0;
  m.minStart = -1;
  const re = c.re;
  re.lastIndex = from;
  const r = re.exec(m.str!);
  const found = r !== null && (!c.anchored || r.index === from);
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
