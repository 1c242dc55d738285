/**
 * Debian package version ordering, exactly as `dpkg --compare-versions` (lib/dpkg/version.c):
 * `[epoch:]upstream[-revision]`, compared epoch first, then upstream, then revision, each with
 * dpkg's mixed lexical/numeric walk where `~` sorts before everything, even the end of the string.
 */
import type { VersionScheme } from './types.js';

interface DpkgVersion {
  readonly epoch: number;
  readonly upstream: string;
  readonly revision: string;
}

/**
 * Splits a Debian version into epoch, upstream version and revision, or undefined when it is not
 * a version dpkg would accept (empty, bad epoch, upstream not starting with a digit is tolerated
 * as dpkg only warns about it).
 *
 * @example parseDpkgVersion('1:2.3-4') // { epoch: 1, upstream: '2.3', revision: '4' }
 */
export function parseDpkgVersion(version: string): DpkgVersion | undefined {
  const v = version.trim();
  if (v.length === 0 || /\s/.test(v)) return undefined;
  let epoch = 0;
  let rest = v;
  const colon = v.indexOf(':');
  if (colon >= 0) {
    const e = v.slice(0, colon);
    if (!/^\d+$/.test(e)) return undefined;
    epoch = Number(e);
    if (!Number.isSafeInteger(epoch) || epoch > 2147483647) return undefined;
    rest = v.slice(colon + 1);
  }
  const dash = rest.lastIndexOf('-');
  const upstream = dash >= 0 ? rest.slice(0, dash) : rest;
  const revision = dash >= 0 ? rest.slice(dash + 1) : '';
  if (upstream.length === 0) return undefined;
  if (dash >= 0 && revision.length === 0) return undefined;
  if (!/^[A-Za-z0-9.+~:-]+$/.test(upstream) || !/^[A-Za-z0-9.+~]*$/.test(revision)) return undefined;
  return { epoch, upstream, revision };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
/** dpkg's order(): digits are handled apart, `~` is lowest, letters before other symbols. */
function order(c: number): number {
  if (isDigit(c)) return 0;
  if (isAlpha(c)) return c;
  if (c === 126) return -1; // '~'
  if (c) return c + 256;
  return 0;
}

function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const ac = i < a.length ? order(a.charCodeAt(i)) : 0;
      const bc = j < b.length ? order(b.charCodeAt(j)) : 0;
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (i < a.length && a.charCodeAt(i) === 48) i++;
    while (j < b.length && b.charCodeAt(j) === 48) j++;
    while (i < a.length && isDigit(a.charCodeAt(i)) && j < b.length && isDigit(b.charCodeAt(j))) {
      if (!firstDiff) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (i < a.length && isDigit(a.charCodeAt(i))) return 1;
    if (j < b.length && isDigit(b.charCodeAt(j))) return -1;
    if (firstDiff) return firstDiff;
  }
  return 0;
}

/**
 * Compares two Debian versions: negative, zero or positive like `dpkg --compare-versions`.
 * Invalid versions are compared as plain upstream strings (dpkg does the same after a warning).
 *
 * @example compareDpkg('1.0~rc1', '1.0') < 0 // true
 */
export function compareDpkg(a: string, b: string): number {
  const va = parseDpkgVersion(a) ?? { epoch: 0, upstream: a, revision: '' };
  const vb = parseDpkgVersion(b) ?? { epoch: 0, upstream: b, revision: '' };
  if (va.epoch !== vb.epoch) return va.epoch > vb.epoch ? 1 : -1;
  const u = verrevcmp(va.upstream, vb.upstream);
  if (u !== 0) return Math.sign(u);
  return Math.sign(verrevcmp(va.revision, vb.revision));
}

/** The dpkg version scheme for deb packages (Debian, Ubuntu). */
export const dpkg: VersionScheme = {
  name: 'dpkg',
  help: 'Debian/Ubuntu package versions ([epoch:]upstream[-revision]), ordered like dpkg --compare-versions',
  compare: compareDpkg,
  isValid: (v) => parseDpkgVersion(v) !== undefined,
};
