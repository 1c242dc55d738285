/**
 * Alpine SecDB (https://secdb.alpinelinux.org/): per release and repository, each origin
 * package's `secfixes` map of fixed version -> CVE ids. A fixed version "0" means the package was
 * never affected in that branch. SecDB has no severities.
 */
import type { OperationOptions } from '../../../core/abort.js';
import { arr, fetchAll, isObject, parseFiles, str, strings } from './common.js';
import type { AffectedPackage, FetchOptions, ParseItem, VulnSource } from './types.js';

export const ALPINE_SECDB_BASE_URL = 'https://secdb.alpinelinux.org';
/** Releases `vigil db update --source alpine-secdb` downloads (main and community each). */
export const ALPINE_SECDB_RELEASES = ['v3.15', 'v3.16', 'v3.17', 'v3.18', 'v3.19', 'v3.20', 'v3.21', 'edge'];

/** `v3.14` or `edge`, as OSV names the Alpine namespace: `Alpine:v3.14`. */
function namespaceOf(distroversion: string): string {
  return `Alpine:${distroversion.startsWith('v') || distroversion === 'edge' ? distroversion : `v${distroversion}`}`;
}

/**
 * Parses one secdb document (`main.json` or `community.json` of one release).
 *
 * @example [...parseSecdb(JSON.parse(text), 'v3.14/main.json')]
 */
export function* parseSecdb(doc: unknown, origin: string): Iterable<ParseItem> {
  if (!isObject(doc) || !Array.isArray(doc.packages)) {
    yield { kind: 'problem', origin, message: 'not an Alpine secdb document (no "packages" list); skipped' };
    return;
  }
  const dv = str(doc.distroversion);
  if (!dv) {
    yield { kind: 'problem', origin, message: 'Alpine secdb document has no "distroversion"; skipped' };
    return;
  }
  const namespace = namespaceOf(dv);
  const repo = str(doc.reponame) ?? '';
  for (const [i, p] of arr(doc.packages).entries()) {
    const pkg = isObject(p) && isObject(p.pkg) ? p.pkg : undefined;
    const name = pkg ? str(pkg.name) : undefined;
    if (!pkg || !name) {
      yield { kind: 'problem', origin: `${origin}#packages[${i}]`, message: 'package entry without a name; skipped' };
      continue;
    }
    if (pkg.secfixes !== undefined && !isObject(pkg.secfixes)) {
      yield { kind: 'problem', origin: `${origin}#packages[${i}]`, message: `${name}: "secfixes" is not an object; skipped` };
      continue;
    }
    // one advisory per (CVE, package): a CVE listed under two fixed versions keeps the lowest
    const byCve = new Map<string, string>();
    for (const [fixed, ids] of Object.entries(pkg.secfixes ?? {})) {
      for (const raw of strings(ids)) {
        // entries look like "CVE-2021-1234" or "CVE-2021-1234 GHSA-..." or "XSA-123"
        for (const id of raw.split(/\s+/).filter((x) => /^[A-Z][A-Z0-9]*-[0-9A-Za-z-]+$/.test(x))) {
          const prev = byCve.get(id);
          if (prev === undefined || fixed === '0') byCve.set(id, fixed);
        }
      }
    }
    for (const [id, fixed] of byCve) {
      const affected: AffectedPackage =
        fixed === '0' ? { namespace, package: name, state: 'not_affected', ranges: [] } : { namespace, package: name, state: 'affected', ranges: [{ fixed }] };
      yield {
        kind: 'advisory',
        advisory: {
          source: 'alpine-secdb',
          id,
          aliases: [],
          cvss: [],
          links: [`https://security.alpinelinux.org/vuln/${id}`],
          affected: [affected],
          origin: `${origin}#${repo}/${name}`,
        },
      };
    }
  }
}

/** The Alpine SecDB source. */
export const alpineSecdb: VulnSource = {
  name: 'alpine-secdb',
  help: 'Alpine SecDB: fixed versions per release, repository and origin package',
  urls: ALPINE_SECDB_RELEASES.flatMap((r) => [`${ALPINE_SECDB_BASE_URL}/${r}/main.json`, `${ALPINE_SECDB_BASE_URL}/${r}/community.json`]),
  accepts: (doc) => isObject(doc) && Array.isArray(doc.packages) && typeof doc.distroversion === 'string',
  parseDocument: parseSecdb,
  fetch: (fingerprint, options: FetchOptions) =>
    fetchAll(options.baseUrl ?? ALPINE_SECDB_BASE_URL, ALPINE_SECDB_RELEASES.flatMap((r) => [`${r}/main.json`, `${r}/community.json`]), fingerprint, options),
  parse(body, options?: OperationOptions) {
    return parseFiles(alpineSecdb, body, options);
  },
};
