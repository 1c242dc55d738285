/**
 * The matchers, one per distribution family or language ecosystem (claircore: debian, ubuntu,
 * alpine, rhel, python, npm). Debian and Ubuntu advisories name source packages, so binaries are
 * looked up by their dpkg `Source:` and compared by source version; Alpine's by apk origin.
 */
import type { Distribution, Package } from '../types.js';
import { apk } from '../versions/apk.js';
import { dpkg } from '../versions/dpkg.js';
import { pep440 } from '../versions/pep440.js';
import { rpm } from '../versions/rpm.js';
import { semver } from '../versions/semver.js';
import type { Matcher } from './types.js';

const DEBIAN_CODENAMES: Record<string, string> = { buster: '10', bullseye: '11', bookworm: '12', trixie: '13', forky: '14' };

function major(v: string): string {
  return v.split('.')[0] ?? v;
}

function uniq(xs: (string | undefined)[]): string[] {
  return [...new Set(xs.filter((x): x is string => x !== undefined && x.length > 0))];
}

/** Debian: OSV `Debian:<major>`, keyed by source package. */
export const debianMatcher: Matcher = {
  name: 'debian',
  help: 'Debian packages (dpkg) against the Debian security tracker (OSV Debian:N), by source package',
  scheme: dpkg,
  filter: (p, d) => p.ecosystem === 'deb' && d?.id === 'debian',
  query: (p, d) => {
    const release = d?.versionId ? major(d.versionId) : DEBIAN_CODENAMES[d?.codename ?? ''];
    return { namespaces: release ? [`Debian:${release}`] : [], names: uniq([p.sourceName ?? p.name]) };
  },
  versionOf: (p) => p.sourceVersion ?? p.version,
};

/** Ubuntu: OSV `Ubuntu:<release>:LTS` or `Ubuntu:<release>`, keyed by source package. */
export const ubuntuMatcher: Matcher = {
  name: 'ubuntu',
  help: 'Ubuntu packages (dpkg) against Ubuntu OSV (Ubuntu:YY.MM[:LTS]), by source package',
  scheme: dpkg,
  filter: (p, d) => p.ecosystem === 'deb' && d?.id === 'ubuntu',
  query: (p, d) => ({ namespaces: d?.versionId ? [`Ubuntu:${d.versionId}:LTS`, `Ubuntu:${d.versionId}`] : [], names: uniq([p.sourceName ?? p.name]) }),
  versionOf: (p) => p.sourceVersion ?? p.version,
};

/** Alpine: `Alpine:v<major.minor>` (secdb and OSV), keyed by origin. */
export const alpineMatcher: Matcher = {
  name: 'alpine',
  help: 'Alpine packages (apk) against Alpine SecDB and OSV (Alpine:vX.Y), by origin package',
  scheme: apk,
  filter: (p, d) => p.ecosystem === 'apk' && (d === undefined || d.id === 'alpine'),
  query: (p, d) => {
    const parts = (d?.versionId ?? '').split('.');
    const ns = /_alpha|_beta|_rc|edge/.test(d?.versionId ?? '') ? 'Alpine:edge' : parts.length >= 2 ? `Alpine:v${parts[0]}.${parts[1]}` : undefined;
    return { namespaces: ns ? [ns] : [], names: uniq([p.sourceName ?? p.name]) };
  },
  versionOf: (p) => p.version,
};

const RHEL_LIKE = new Set(['rhel', 'centos', 'rocky', 'almalinux', 'ol']);

/** RHEL and rebuilds: Red Hat CSAF `Red Hat:<major>`, by binary and source rpm name. */
export const rhelMatcher: Matcher = {
  name: 'rhel',
  help: 'RHEL, CentOS, Rocky and Alma packages (rpm) against Red Hat CSAF VEX/RHSA (Red Hat:N)',
  scheme: rpm,
  filter: (p, d) => p.ecosystem === 'rpm' && d !== undefined && RHEL_LIKE.has(d.id),
  query: (p, d) => ({ namespaces: d?.versionId ? [`Red Hat:${major(d.versionId)}`] : [], names: uniq([p.name, p.sourceName]) }),
  versionOf: (p) => p.version,
};

/** PyPI packages: OSV `PyPI` (PyPA advisory database). */
export const pythonMatcher: Matcher = {
  name: 'python',
  help: 'Python packages (dist-info, egg-info) against OSV PyPI (PEP 440 ordering)',
  scheme: pep440,
  filter: (p) => p.ecosystem === 'pypi',
  // PyPI names compare after PEP 503 normalisation
  query: (p) => ({ namespaces: ['PyPI'], names: uniq([p.name, p.name.toLowerCase().replace(/[-_.]+/g, '-')]) }),
  versionOf: (p) => p.version,
};

/** npm packages: OSV `npm` (GitHub advisories). */
export const npmMatcher: Matcher = {
  name: 'npm',
  help: 'npm packages (package-lock.json, node_modules) against OSV npm / GHSA (semver ordering)',
  scheme: semver,
  filter: (p) => p.ecosystem === 'npm',
  query: (p) => ({ namespaces: ['npm'], names: [p.name] }),
  versionOf: (p) => p.version,
};

/** Which matcher family a package would need, for the "no data / unsupported" message. */
export function describeUnmatched(p: Package, d: Distribution | undefined): string {
  if (p.ecosystem === 'rpm' && d?.id === 'amzn') return 'Amazon Linux has no vulnerability source in Vigil yet (ALAS is not imported)';
  return `no matcher for ${p.ecosystem} packages on ${d?.id ?? 'an unknown distribution'}`;
}
