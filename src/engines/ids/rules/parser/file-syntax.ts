/**
 * The dialect of a whole rule file (Snort 3, Suricata or Snort 2), from the lines of the file.
 *
 * A file is Snort 3 when a rule line (`action` then a blank at the start of a line) is header-less
 * (`alert http (`), uses Snort 3's `content:"x",` sub-option form or a `service:` option; else
 * Suricata when any line has a Suricata sticky buffer or keyword (`http.uri`, `dns.query`, `bsize`...)
 * after `(` or `;`, or a `... http|dns|tls ` protocol header; else Snort 2.
 *
 * This used to be five multi-line regular expressions over the whole text (the ET set's 13 MB took
 * about 150 ms, a tenth of its rule parsing); scanning the lines by hand for four of them gives the same
 * answers (fileSyntaxByRegex in the test is the reference) in a third of the time.
 */
import type { RuleSyntax } from '../types.js';

const ACTION_WORDS = ['alert', 'log', 'pass', 'drop', 'sdrop', 'reject', 'block', 'rewrite'] as const;
const SERVICE_HEADERS = ['http', 'dns', 'tls'] as const;

const isBlank = (c: number): boolean => c === 0x20 || c === 0x09;
/** `\w`: ASCII letters, digits and underscore. */
const isWord = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
/** Snort 3 header-less protocol words: `[a-z0-9-]`. */
const isProtoChar = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d;
/** What a regular expression's `.` does not match. */
const isLineBreak = (c: number): boolean => c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029;

function skipBlanks(s: string, i: number): number {
  while (i < s.length && isBlank(s.charCodeAt(i))) i++;
  return i;
}

/** After `[ \t]*action[ \t]` starting at `at`: the index just past that blank, or -1. */
function afterAction(s: string, at: number): number {
  const i = skipBlanks(s, at);
  for (const w of ACTION_WORDS) {
    if (s.startsWith(w, i) && isBlank(s.charCodeAt(i + w.length))) return i + w.length + 1;
  }
  return -1;
}

/** `[ \t]*(?:[a-z0-9-]+[ \t]*)?\(` at i: a header-less Snort 3 rule (`alert http (`, `alert (`). */
function headerlessAt(s: string, i: number): boolean {
  i = skipBlanks(s, i);
  if (s.charCodeAt(i) === 0x28) return true;
  const start = i;
  while (i < s.length && isProtoChar(s.charCodeAt(i))) i++;
  if (i === start) return false;
  return s.charCodeAt(skipBlanks(s, i)) === 0x28;
}

/** `[ \t]*!?"(?:[^"\\\n]|\\.)*"[ \t]*,` at i: a quoted content followed by a comma (Snort 3 sub-options). */
function quotedThenComma(s: string, i: number): boolean {
  i = skipBlanks(s, i);
  if (s.charCodeAt(i) === 0x21) i++;
  if (s.charCodeAt(i) !== 0x22) return false;
  i++;
  for (;;) {
    if (i >= s.length) return false;
    const c = s.charCodeAt(i);
    if (c === 0x22) break;
    if (c === 0x5c) {
      if (i + 1 >= s.length || isLineBreak(s.charCodeAt(i + 1))) return false;
      i += 2;
      continue;
    }
    if (c === 0x0a) return false;
    i++;
  }
  return s.charCodeAt(skipBlanks(s, i + 1)) === 0x2c;
}

/** True when `(` or `;` and then only blanks come right before `at`, at or after `from`. */
function optionStartBefore(s: string, at: number, from: number): boolean {
  let j = at - 1;
  while (j >= from && isBlank(s.charCodeAt(j))) j--;
  if (j < from) return false;
  const c = s.charCodeAt(j);
  return c === 0x28 || c === 0x3b;
}

/** `[(;][ \t]*service[ \t]*:` within s from `from` on. */
function hasServiceOption(s: string, from: number): boolean {
  for (let k = s.indexOf('service', from); k >= 0; k = s.indexOf('service', k + 1)) {
    if (optionStartBefore(s, k, from) && s.charCodeAt(skipBlanks(s, k + 7)) === 0x3a) return true;
  }
  return false;
}

/** `content:` then a quoted string and a comma, within s from `from` on. */
function hasSnort3Content(s: string, from: number): boolean {
  for (let k = s.indexOf('content:', from); k >= 0; k = s.indexOf('content:', k + 1)) {
    if (quotedThenComma(s, k + 8)) return true;
  }
  return false;
}

/**
 * `[(;][ \t]*` then a Suricata keyword, anywhere in the text: the one test left as a regular expression,
 * since on the whole text it is faster than any scan by hand (and it cannot span lines).
 */
const SURICATA_OPTION = /[(;][ \t]*(?:http\.|dns\.query|tls\.|file\.data|bsize|endswith|startswith|dotprefix)/;

/** `[ \t]*\w+[ \t]+(?:http|dns|tls)[ \t]` at i: a Suricata protocol header (`alert http ...`). */
function suricataHeaderAt(s: string, i: number): boolean {
  i = skipBlanks(s, i);
  const start = i;
  while (i < s.length && isWord(s.charCodeAt(i))) i++;
  if (i === start || !isBlank(s.charCodeAt(i))) return false;
  i = skipBlanks(s, i);
  for (const w of SERVICE_HEADERS) if (s.startsWith(w, i) && isBlank(s.charCodeAt(i + w.length))) return true;
  return false;
}

/** The next line start after `at` inside a `\n`-line: a regex's multi-line `^` also follows \r, U+2028, U+2029. */
function nextLineStart(s: string, at: number): number {
  let best = -1;
  for (const ch of ['\r', '\u2028', '\u2029']) {
    const k = s.indexOf(ch, at);
    if (k >= 0 && (best < 0 || k < best)) best = k;
  }
  return best < 0 ? -1 : best + 1;
}

/**
 * The dialect of a rule file, given its text and the text split at `\n` (the loader has both).
 *
 * @example
 * const text = 'alert http (msg:"x"; sid:1;)';
 * fileSyntax(text, text.split('\n')); // 'snort3'
 */
export function fileSyntax(text: string, lines: readonly string[] = text.split('\n')): RuleSyntax {
  let suricata = false;
  for (const line of lines) {
    for (let at = 0; at >= 0; at = nextLineStart(line, at)) {
      const rest = afterAction(line, at);
      if (rest >= 0 && (headerlessAt(line, rest) || hasSnort3Content(line, rest) || hasServiceOption(line, rest))) return 'snort3';
      if (!suricata && suricataHeaderAt(line, at)) suricata = true;
    }
  }
  return suricata || SURICATA_OPTION.test(text) ? 'suricata' : 'snort2';
}
