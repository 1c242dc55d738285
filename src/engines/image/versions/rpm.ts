/**
 * RPM version ordering: rpmvercmp (rpmio/rpmvercmp.c, with `~` pre-release and `^` post-release
 * separators) applied to epoch, version and release in turn.
 */
import type { VersionScheme } from './types.js';

function isAlnum(c: string): boolean {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}
function isAlpha(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/**
 * rpm's segment comparison of one version or release string.
 *
 * @example rpmvercmp('1.0~rc1', '1.0') // -1
 */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  const at = (s: string, k: number): string => (k < s.length ? s[k]! : '');
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(a[i]!) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !isAlnum(b[j]!) && b[j] !== '~' && b[j] !== '^') j++;
    const ca = at(a, i);
    const cb = at(b, j);
    if (ca === '~' || cb === '~') {
      if (ca !== '~') return 1;
      if (cb !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (ca === '^' || cb === '^') {
      if (ca === '') return -1;
      if (cb === '') return 1;
      if (ca !== '^') return 1;
      if (cb !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (ca === '' || cb === '') break;
    let ei = i;
    let ej = j;
    const isNum = isDigit(ca);
    if (isNum) {
      while (ei < a.length && isDigit(a[ei]!)) ei++;
      while (ej < b.length && isDigit(b[ej]!)) ej++;
    } else {
      while (ei < a.length && isAlpha(a[ei]!)) ei++;
      while (ej < b.length && isAlpha(b[ej]!)) ej++;
    }
    if (ei === i) return -1;
    if (ej === j) return isNum ? 1 : -1;
    let sa = a.slice(i, ei);
    let sb = b.slice(j, ej);
    if (isNum) {
      sa = sa.replace(/^0+/, '');
      sb = sb.replace(/^0+/, '');
      if (sa.length !== sb.length) return sa.length > sb.length ? 1 : -1;
    }
    if (sa !== sb) return sa < sb ? -1 : 1;
    i = ei;
    j = ej;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

/** An rpm EVR: epoch (0 when absent), version, release (may be empty). */
export interface Evr {
  readonly epoch: number;
  readonly version: string;
  readonly release: string;
}

/**
 * Parses `[epoch:]version[-release]`.
 *
 * @example parseEvr('1:7.76.1-26.el9') // { epoch: 1, version: '7.76.1', release: '26.el9' }
 */
export function parseEvr(evr: string): Evr {
  let epoch = 0;
  let rest = evr.trim();
  const m = /^(\d+):/.exec(rest);
  if (m) {
    epoch = Number(m[1]);
    rest = rest.slice(m[0].length);
  }
  const dash = rest.lastIndexOf('-');
  return dash >= 0 ? { epoch, version: rest.slice(0, dash), release: rest.slice(dash + 1) } : { epoch, version: rest, release: '' };
}

/**
 * Compares two rpm EVR strings like `rpmdev-vercmp` / rpm's rpmVersionCompare.
 * A missing release on either side is not compared (rpm treats "1.0" as matching any release).
 *
 * @example compareRpm('0:1.0-1.el9', '1.0-2.el9') < 0 // true
 */
export function compareRpm(a: string, b: string): number {
  const ea = parseEvr(a);
  const eb = parseEvr(b);
  if (ea.epoch !== eb.epoch) return ea.epoch > eb.epoch ? 1 : -1;
  const v = rpmvercmp(ea.version, eb.version);
  if (v !== 0) return v;
  if (ea.release === '' || eb.release === '') return 0;
  return rpmvercmp(ea.release, eb.release);
}

/** The rpm version scheme (RHEL, Rocky, Alma, CentOS, Amazon Linux). */
export const rpm: VersionScheme = {
  name: 'rpm',
  help: 'RPM [epoch:]version-release, ordered like rpmvercmp (with ~ and ^)',
  compare: compareRpm,
  isValid: (v) => /^(\d+:)?[A-Za-z0-9._+~^]+(-[A-Za-z0-9._+~^]+)?$/.test(v.trim()),
};
