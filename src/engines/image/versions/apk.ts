/**
 * Alpine package version ordering, following apk-tools' version.c token walk:
 * `{digit}{.digit}...{letter}{_suffix{#}}...{-r#}` where `_alpha`, `_beta`, `_pre`, `_rc` sort
 * before the plain version and `_cvs`, `_svn`, `_git`, `_hg`, `_p` after it.
 */
import type { VersionScheme } from './types.js';

const enum T {
  Invalid = -1,
  DigitOrZero = 0,
  Digit = 1,
  Letter = 2,
  Suffix = 3,
  SuffixNo = 4,
  RevisionNo = 5,
  End = 6,
}

const PRE_SUFFIXES = ['alpha', 'beta', 'pre', 'rc'];
const POST_SUFFIXES = ['cvs', 'svn', 'git', 'hg', 'p'];

interface Cursor {
  s: string;
  pos: number;
  type: T;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}
function isLower(c: string | undefined): boolean {
  return c !== undefined && c >= 'a' && c <= 'z';
}

function nextToken(cur: Cursor): void {
  let n: T = T.Invalid;
  const c = cur.s[cur.pos];
  if (cur.pos >= cur.s.length || c === '\0') {
    n = T.End;
  } else if ((cur.type === T.Digit || cur.type === T.DigitOrZero) && isLower(c)) {
    n = T.Letter;
  } else if (cur.type === T.Letter && isDigit(c)) {
    n = T.Digit;
  } else if (cur.type === T.Suffix && isDigit(c)) {
    n = T.SuffixNo;
  } else {
    if (c === '.') n = T.DigitOrZero;
    else if (c === '_') n = T.Suffix;
    else if (c === '-') {
      if (cur.pos + 1 < cur.s.length && cur.s[cur.pos + 1] === 'r') {
        n = T.RevisionNo;
        cur.pos++;
      } else n = T.Invalid;
    }
    cur.pos++;
  }
  if (n < cur.type) {
    if (!((n === T.DigitOrZero && cur.type === T.Digit) || (n === T.Suffix && cur.type === T.SuffixNo) || (n === T.Digit && cur.type === T.Letter))) {
      n = T.Invalid;
    }
  }
  cur.type = n;
}

function getToken(cur: Cursor): number {
  const len = cur.s.length - cur.pos;
  if (len <= 0) {
    cur.type = T.End;
    return 0;
  }
  let v = 0;
  let i = 0;
  let nt: T = T.Invalid;
  const at = (k: number): string | undefined => cur.s[cur.pos + k];
  let type = cur.type;
  if (type === T.DigitOrZero) {
    if (at(0) === '0') {
      while (i < len && at(i) === '0') i++;
      nt = T.Digit;
      v = -i;
      type = T.End; // handled: skip the switch below
    } else {
      // a dot followed by a non-zero digit is an ordinary number
      type = T.Digit;
    }
  }
  switch (type) {
    case T.End:
      break;
    case T.Digit:
    case T.SuffixNo:
    case T.RevisionNo:
      // apk uses a C int; absurdly long numbers are clamped rather than turning into floats
      while (i < len && isDigit(at(i))) {
        v = Math.min(v * 10 + (cur.s.charCodeAt(cur.pos + i) - 48), 2 ** 31 - 1);
        i++;
      }
      break;
    case T.Letter:
      v = cur.s.charCodeAt(cur.pos);
      i = 1;
      break;
    case T.Suffix: {
      const rest = cur.s.slice(cur.pos);
      const pre = PRE_SUFFIXES.findIndex((p) => rest.startsWith(p));
      if (pre >= 0) {
        v = pre - PRE_SUFFIXES.length;
        i = PRE_SUFFIXES[pre]!.length;
        break;
      }
      const post = POST_SUFFIXES.findIndex((p) => rest.startsWith(p));
      if (post >= 0) {
        v = post;
        i = POST_SUFFIXES[post]!.length;
        break;
      }
      cur.type = T.Invalid;
      return -1;
    }
    default:
      cur.type = T.Invalid;
      return -1;
  }
  cur.pos += i;
  if (cur.pos >= cur.s.length) cur.type = T.End;
  else if (nt !== T.Invalid) cur.type = nt;
  else nextToken(cur);
  return v;
}

/**
 * True when apk-tools would accept the string as a package version.
 *
 * @example isValidApkVersion('1.2.3_rc1-r0') // true
 */
export function isValidApkVersion(version: string): boolean {
  const cur: Cursor = { s: version, pos: 0, type: T.Digit };
  while (cur.type !== T.End && cur.type !== T.Invalid) getToken(cur);
  return cur.type === T.End && version.length > 0;
}

/**
 * Compares two apk versions: negative, zero or positive, like `apk version -t`.
 *
 * @example compareApk('1.2.3_rc1-r0', '1.2.3-r0') < 0 // true
 */
export function compareApk(a: string, b: string): number {
  const ca: Cursor = { s: a, pos: 0, type: T.Digit };
  const cb: Cursor = { s: b, pos: 0, type: T.Digit };
  let av = 0;
  let bv = 0;
  while (ca.type === cb.type && ca.type !== T.End && ca.type !== T.Invalid && av === bv) {
    av = getToken(ca);
    bv = getToken(cb);
  }
  if (av < bv) return -1;
  if (av > bv) return 1;
  if (ca.type === cb.type) return 0;
  // Leading parts are equal: the longer version is greater, unless what follows is a pre-release suffix.
  if (ca.type === T.Suffix && getToken({ ...ca }) < 0) return -1;
  if (cb.type === T.Suffix && getToken({ ...cb }) < 0) return 1;
  if (ca.type > cb.type) return -1;
  if (cb.type > ca.type) return 1;
  return 0;
}

/** The apk version scheme (Alpine, Wolfi). */
export const apk: VersionScheme = {
  name: 'apk',
  help: 'Alpine package versions (1.2.3a_rc1_p2-r0), ordered like apk-tools',
  compare: compareApk,
  isValid: isValidApkVersion,
};
