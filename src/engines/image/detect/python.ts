import { buildPurl, type PackageDetector } from './detector.js';
import { matchGlob } from '../unpack/glob.js';

const PATTERNS = ['**/*.dist-info/METADATA', '**/*.egg-info/PKG-INFO', '**/*.egg-info'];

/** PEP 503 normalised project name, as purls and OSV PyPI records use. */
export function normalizePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * Python: installed distributions' core metadata (`*.dist-info/METADATA`, `*.egg-info/PKG-INFO`,
 * or an `*.egg-info` file): the `Name:` and `Version:` headers before the first blank line.
 */
export const python: PackageDetector = {
  name: 'python',
  version: '1',
  kind: 'language',
  wants: PATTERNS.map((pattern) => ({ pattern, maxBytes: 8 * 1024 * 1024 })),
  accepts: (path) => PATTERNS.some((p) => matchGlob(p, path)),
  detect(path, content) {
    let name: string | undefined;
    let version: string | undefined;
    const text = content.toString('utf8');
    for (const line of text.split('\n')) {
      const l = line.replace(/\r$/, '');
      if (l === '') break;
      const m = /^(Name|Version):\s*(.*)$/i.exec(l);
      if (!m) continue;
      if (m[1]!.toLowerCase() === 'name' && name === undefined) name = m[2]!.trim();
      else if (m[1]!.toLowerCase() === 'version' && version === undefined) version = m[2]!.trim();
    }
    if (!name || !version) return { packages: [], problems: [`${path}: no Name or Version header; skipped`] };
    return { packages: [{ ecosystem: 'pypi', name, version, purl: buildPurl('pypi', undefined, normalizePythonName(name), version) }], problems: [] };
  },
};
