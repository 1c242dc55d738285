/**
 * Python package versions and specifiers as PEP 440 defines them (the rules pip and `packaging`
 * follow): epochs, release segments, pre/post/dev releases, local versions, and the specifier
 * operators `~=`, `==` (with `.*`), `!=`, `<=`, `>=`, `<`, `>`, `===`.
 */
import type { VersionScheme } from './types.js';

/** A parsed PEP 440 version. */
export interface Pep440Version {
  readonly epoch: number;
  readonly release: readonly number[];
  /** ['a' | 'b' | 'rc', n] */
  readonly pre?: readonly [string, number];
  readonly post?: number;
  readonly dev?: number;
  /** Local segments: numbers compare as numbers, strings as lower-case strings. */
  readonly local?: readonly (string | number)[];
}

// The canonical pattern from PEP 440 appendix B.
const VERSION_RE = new RegExp(
  '^\\s*v?(?:(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\\.[0-9]+)*)' +
    '(?<pre>[-_\\.]?(?<pre_l>alpha|a|beta|b|preview|pre|c|rc)[-_\\.]?(?<pre_n>[0-9]+)?)?' +
    '(?<post>(?:-(?<post_n1>[0-9]+))|(?:[-_\\.]?(?<post_l>post|rev|r)[-_\\.]?(?<post_n2>[0-9]+)?))?' +
    '(?<dev>[-_\\.]?(?<dev_l>dev)[-_\\.]?(?<dev_n>[0-9]+)?)?)' +
    '(?:\\+(?<local>[a-z0-9]+(?:[-_\\.][a-z0-9]+)*))?\\s*$',
  'i',
);

function num(s: string | undefined): number {
  return s === undefined ? 0 : Number(s);
}

/**
 * Parses a PEP 440 version, or returns undefined for anything else (legacy versions).
 *
 * @example parsePep440('1.0rc1.post2.dev3+ubuntu.1')
 */
export function parsePep440(version: string): Pep440Version | undefined {
  if (version.length > 256) return undefined;
  const m = VERSION_RE.exec(version);
  if (!m?.groups) return undefined;
  const g = m.groups;
  let pre: [string, number] | undefined;
  if (g.pre_l !== undefined) {
    const l = g.pre_l.toLowerCase();
    const label = l === 'alpha' || l === 'a' ? 'a' : l === 'beta' || l === 'b' ? 'b' : 'rc';
    pre = [label, num(g.pre_n)];
  }
  const post = g.post_n1 !== undefined ? Number(g.post_n1) : g.post_l !== undefined ? num(g.post_n2) : undefined;
  const dev = g.dev_l !== undefined ? num(g.dev_n) : undefined;
  const local = g.local?.toLowerCase().split(/[-_.]/).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return {
    epoch: num(g.epoch),
    release: g.release!.split('.').map(Number),
    ...(pre && { pre }),
    ...(post !== undefined && { post }),
    ...(dev !== undefined && { dev }),
    ...(local && { local }),
  };
}

const PRE_ORDER: Record<string, number> = { a: 0, b: 1, rc: 2 };

function cmpNum(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function cmpRelease(a: readonly number[], b: readonly number[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = cmpNum(a[i] ?? 0, b[i] ?? 0);
    if (c) return c;
  }
  return 0;
}

/** Pre-release key: a dev release without pre/post sorts before any pre-release of that version. */
function preKey(v: Pep440Version): [number, number] {
  if (v.pre === undefined && v.post === undefined && v.dev !== undefined) return [-Infinity, 0];
  if (v.pre === undefined) return [Infinity, 0];
  return [PRE_ORDER[v.pre[0]]!, v.pre[1]];
}

function cmpLocal(a: readonly (string | number)[] | undefined, b: readonly (string | number)[] | undefined): number {
  if (a === undefined && b === undefined) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x === 'number' && typeof y === 'number') {
      if (x !== y) return cmpNum(x, y);
    } else if (typeof x === 'number') return 1; // numeric segments sort after alphanumeric ones
    else if (typeof y === 'number') return -1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Compares two parsed versions per PEP 440. */
export function comparePep440Parsed(a: Pep440Version, b: Pep440Version, withLocal = true): number {
  let c = cmpNum(a.epoch, b.epoch);
  if (c) return c;
  c = cmpRelease(a.release, b.release);
  if (c) return c;
  const [pa, pna] = preKey(a);
  const [pb, pnb] = preKey(b);
  c = cmpNum(pa, pb) || cmpNum(pna, pnb);
  if (c) return c;
  c = cmpNum(a.post ?? -Infinity, b.post ?? -Infinity);
  if (c) return c;
  c = cmpNum(a.dev ?? Infinity, b.dev ?? Infinity);
  if (c) return c;
  return withLocal ? cmpLocal(a.local, b.local) : 0;
}

/**
 * Compares two Python versions. Versions that are not PEP 440 sort before every valid one.
 *
 * @example comparePep440('1.0.dev1', '1.0a1') < 0 // true
 */
export function comparePep440(a: string, b: string): number {
  const va = parsePep440(a);
  const vb = parsePep440(b);
  if (va && vb) return comparePep440Parsed(va, vb);
  if (va) return 1;
  if (vb) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function isPre(v: Pep440Version): boolean {
  return v.pre !== undefined || v.dev !== undefined;
}

function publicOf(v: Pep440Version): Pep440Version {
  const { local: _local, ...rest } = v;
  return rest;
}

function matchOne(v: Pep440Version, raw: string, op: string, spec: string): boolean {
  if (op === '===') return raw.trim().toLowerCase() === spec.trim().toLowerCase();
  if ((op === '==' || op === '!=') && spec.endsWith('.*')) {
    const prefix = parsePep440(spec.slice(0, -2));
    if (!prefix) return false;
    const pub = publicOf(v);
    // Compare the release padded to the prefix length; pre/post/dev of the candidate do not matter.
    const padded = [...pub.release];
    while (padded.length < prefix.release.length) padded.push(0);
    const head = { epoch: pub.epoch, release: padded.slice(0, prefix.release.length) };
    const base = { epoch: prefix.epoch, release: prefix.release };
    let eq = comparePep440Parsed(head, base) === 0;
    if (eq && (prefix.pre || prefix.post !== undefined || prefix.dev !== undefined)) {
      eq = comparePep440Parsed({ ...pub, release: head.release }, prefix, false) >= 0;
    }
    return op === '==' ? eq : !eq;
  }
  const s = parsePep440(spec);
  if (!s) return false;
  switch (op) {
    case '==':
    case '!=': {
      const eq = s.local === undefined ? comparePep440Parsed(publicOf(v), s) === 0 : comparePep440Parsed(v, s) === 0;
      return op === '==' ? eq : !eq;
    }
    case '<=':
      return comparePep440Parsed(publicOf(v), s) <= 0;
    case '>=':
      return comparePep440Parsed(publicOf(v), s) >= 0;
    case '<': {
      if (comparePep440Parsed(publicOf(v), s) >= 0) return false;
      // <V excludes pre-releases of V itself unless V is a pre-release
      if (!isPre(s) && isPre(v) && cmpRelease(v.release, s.release) === 0 && v.epoch === s.epoch) return false;
      return true;
    }
    case '>': {
      if (comparePep440Parsed(publicOf(v), s) <= 0) return false;
      // >V excludes post-releases and local versions of V unless V is a post-release
      if (s.post === undefined && v.post !== undefined && cmpRelease(v.release, s.release) === 0 && v.epoch === s.epoch) return false;
      return true;
    }
    case '~=': {
      if (s.release.length < 2) return false;
      const prefix = s.release.slice(0, -1);
      const head = v.release.slice(0, prefix.length);
      while (head.length < prefix.length) head.push(0);
      return comparePep440Parsed(publicOf(v), s) >= 0 && v.epoch === s.epoch && cmpRelease(head, prefix) === 0;
    }
    default:
      return false;
  }
}

/**
 * True when the version matches a comma-separated specifier set such as `>=1.0,<2.0,!=1.5.*`.
 * Pre-releases match only when `prereleases` is true or the set names a pre-release, as in pip.
 *
 * @example satisfiesPep440('2.31.0', '>=2.0,<2.32') // true
 */
export function satisfiesPep440(version: string, specifiers: string, prereleases?: boolean): boolean {
  const v = parsePep440(version);
  if (!v) return false;
  const parts = specifiers.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const parsed: [string, string][] = [];
  for (const p of parts) {
    const m = /^(~=|===|==|!=|<=|>=|<|>)\s*(.+)$/.exec(p);
    if (!m) return false;
    parsed.push([m[1]!, m[2]!.trim()]);
  }
  const allowPre = prereleases ?? parsed.some(([op, s]) => op !== '!=' && (() => { const x = parsePep440(s.replace(/\.\*$/, '')); return x !== undefined && isPre(x); })());
  if (isPre(v) && !allowPre) return false;
  return parsed.every(([op, s]) => matchOne(v, version, op, s));
}

/** The PEP 440 scheme for PyPI packages. */
export const pep440: VersionScheme = {
  name: 'pep440',
  help: 'Python versions and specifiers per PEP 440 (epochs, pre/post/dev, local)',
  compare: comparePep440,
  isValid: (v) => parsePep440(v) !== undefined,
};
