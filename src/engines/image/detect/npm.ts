import { buildPurl, type DetectedPackage, type PackageDetector } from './detector.js';
import { matchGlob } from '../unpack/glob.js';

const LOCK = '**/package-lock.json';
const PKG = '**/node_modules/*/package.json';
const SCOPED = '**/node_modules/@*/*/package.json';

function npmPurl(name: string, version: string): string {
  const slash = name.startsWith('@') ? name.indexOf('/') : -1;
  return slash > 0 ? buildPurl('npm', name.slice(0, slash), name.slice(slash + 1), version) : buildPurl('npm', undefined, name, version);
}

function pkg(name: string, version: string): DetectedPackage {
  return { ecosystem: 'npm', name, version, purl: npmPurl(name, version) };
}

/** Parses package-lock.json v1 (`dependencies` tree) and v2/v3 (`packages` map). */
function fromLock(path: string, json: Record<string, unknown>, problems: string[]): DetectedPackage[] {
  const out: DetectedPackage[] = [];
  const packagesMap = json.packages;
  if (packagesMap !== null && typeof packagesMap === 'object') {
    for (const [key, v] of Object.entries(packagesMap as Record<string, unknown>)) {
      if (key === '' || v === null || typeof v !== 'object') continue;
      const e = v as { version?: unknown; name?: unknown; link?: unknown };
      if (e.link === true) continue;
      const i = key.lastIndexOf('node_modules/');
      const name = typeof e.name === 'string' ? e.name : i >= 0 ? key.slice(i + 'node_modules/'.length) : undefined;
      if (name === undefined || typeof e.version !== 'string') {
        if (i >= 0) problems.push(`${path}: packages[${JSON.stringify(key)}] has no version; skipped`);
        continue;
      }
      out.push(pkg(name, e.version));
    }
    return out;
  }
  const walk = (deps: unknown, depth: number) => {
    if (deps === null || typeof deps !== 'object' || depth > 64) return;
    for (const [name, v] of Object.entries(deps as Record<string, unknown>)) {
      if (v === null || typeof v !== 'object') continue;
      const e = v as { version?: unknown; dependencies?: unknown };
      if (typeof e.version === 'string' && !e.version.startsWith('file:') && !e.version.startsWith('link:')) out.push(pkg(name, e.version));
      walk(e.dependencies, depth + 1);
    }
  };
  walk(json.dependencies, 0);
  return out;
}

/**
 * npm: `package-lock.json` (v1, v2, v3) and installed `node_modules/<name>/package.json`
 * (including scoped `@scope/name`).
 */
export const npm: PackageDetector = {
  name: 'npm',
  version: '1',
  kind: 'language',
  wants: [
    { pattern: LOCK, maxBytes: 64 * 1024 * 1024 },
    { pattern: PKG, maxBytes: 4 * 1024 * 1024 },
    { pattern: SCOPED, maxBytes: 4 * 1024 * 1024 },
  ],
  accepts: (path) => matchGlob(LOCK, path) || matchGlob(PKG, path) || matchGlob(SCOPED, path),
  detect(path, content) {
    const problems: string[] = [];
    let json: unknown;
    try {
      json = JSON.parse(content.toString('utf8'));
    } catch (e) {
      return { packages: [], problems: [`${path}: not valid JSON (${(e as Error).message})`] };
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json)) return { packages: [], problems: [`${path}: not a JSON object`] };
    const o = json as Record<string, unknown>;
    if (path.endsWith('package-lock.json')) return { packages: fromLock(path, o, problems), problems };
    // node_modules/<name>/package.json: a package without name or version (a workspace stub) is not one.
    if (typeof o.name !== 'string' || typeof o.version !== 'string' || o.name === '' || o.version === '') return { packages: [], problems };
    return { packages: [pkg(o.name, o.version)], problems };
  },
};
