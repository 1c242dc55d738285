/**
 * Version ordering schemes, one file each, in one registry keyed by name. The matcher picks one
 * per package ecosystem with `schemeForEcosystem`.
 */
import { createRegistry } from '../../../core/registry.js';
import type { Ecosystem } from '../types.js';
import { apk } from './apk.js';
import { dpkg } from './dpkg.js';
import { pep440 } from './pep440.js';
import { rpm } from './rpm.js';
import { semver } from './semver.js';
import type { VersionScheme } from './types.js';

export type { VersionScheme } from './types.js';
export { compareApk, isValidApkVersion } from './apk.js';
export { compareDpkg, parseDpkgVersion } from './dpkg.js';
export { comparePep440, parsePep440, satisfiesPep440 } from './pep440.js';
export { compareRpm, parseEvr, rpmvercmp } from './rpm.js';
export { compareSemver, satisfiesSemver } from './semver.js';

/** Every version scheme, sorted by name. */
export const versionSchemes = createRegistry<VersionScheme>('version scheme', [apk, dpkg, pep440, rpm, semver]);

const BY_ECOSYSTEM: Record<Ecosystem, string> = { deb: 'dpkg', apk: 'apk', rpm: 'rpm', npm: 'semver', pypi: 'pep440' };

/**
 * The scheme that orders versions of an ecosystem's packages.
 *
 * @example schemeForEcosystem('deb').compare('1.0-1', '1.0-2') // -1
 */
export function schemeForEcosystem(ecosystem: Ecosystem): VersionScheme {
  return versionSchemes.get(BY_ECOSYSTEM[ecosystem])!;
}
