/**
 * npm versions and ranges through the `semver` package (the one npm itself uses), so `^1.2.3`,
 * `>=1 <2 || 3.x` and pre-release rules behave exactly as in npm.
 */
import semverLib from 'semver';
import type { VersionScheme } from './types.js';

/**
 * Compares two npm versions; loose parsing accepts `v1.2.3` and `=1.2.3`. Versions semver cannot
 * read sort before every valid one and among themselves by string order, so sorting never throws.
 *
 * @example compareSemver('1.2.3', '1.10.0') < 0 // true
 */
export function compareSemver(a: string, b: string): number {
  const va = semverLib.valid(a, { loose: true });
  const vb = semverLib.valid(b, { loose: true });
  if (va && vb) return semverLib.compare(va, vb, { loose: true });
  if (va) return 1;
  if (vb) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * True when the version satisfies the npm range (pre-releases only match ranges that name them, as in npm).
 *
 * @example satisfiesSemver('4.17.20', '<4.17.21') // true
 */
export function satisfiesSemver(version: string, range: string): boolean {
  try {
    return semverLib.satisfies(version, range, { loose: true });
  } catch {
    // semver throws only on absurdly long input; such a range matches nothing
    return false;
  }
}

/** The npm semver scheme. */
export const semver: VersionScheme = {
  name: 'semver',
  help: 'npm semantic versions and ranges, as the semver package (npm) orders them',
  compare: compareSemver,
  isValid: (v) => semverLib.valid(v, { loose: true }) !== null,
};
