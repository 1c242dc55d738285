/**
 * OSV (https://ossf.github.io/osv-schema/): osv.dev's conversions of the Debian, Ubuntu and
 * Alpine trackers, the PyPA advisory database (PyPI) and GitHub's advisory database (npm).
 * Debian and Ubuntu entries are keyed by source package; Alpine by origin.
 */
import type { OperationOptions } from '../../../core/abort.js';
import { arr, fetchAll, isObject, parseFiles, str, strings } from './common.js';
import { normalizeSeverity } from './severity.js';
import { cvss3BaseScore, cvssRating } from './cvss.js';
import type { AffectedPackage, AffectedRange, Cvss, FetchOptions, ParseItem, Severity, VulnSource } from './types.js';

/** osv.dev's public bucket: one all.zip per ecosystem. */
export const OSV_BASE_URL = 'https://osv-vulnerabilities.storage.googleapis.com';
/** The ecosystems `vigil db update --source osv` downloads. */
export const OSV_ECOSYSTEMS = ['Debian', 'Ubuntu', 'Alpine', 'PyPI', 'npm'] as const;

function rangesOf(ranges: unknown[]): { ranges: AffectedRange[]; usable: boolean } {
  const out: AffectedRange[] = [];
  let usable = false;
  for (const r of ranges) {
    if (!isObject(r)) continue;
    const type = str(r.type);
    if (type !== 'ECOSYSTEM' && type !== 'SEMVER') continue; // GIT ranges name commits, not versions
    usable = true;
    let cur: { introduced?: string; fixed?: string; lastAffected?: string } | undefined;
    for (const e of arr(r.events)) {
      if (!isObject(e)) continue;
      const introduced = str(e.introduced);
      const fixed = str(e.fixed);
      const last = str(e.last_affected);
      if (introduced !== undefined) {
        if (cur) out.push(cur);
        cur = introduced === '0' ? {} : { introduced };
      } else if (fixed !== undefined) {
        out.push({ ...(cur ?? {}), fixed });
        cur = undefined;
      } else if (last !== undefined) {
        out.push({ ...(cur ?? {}), lastAffected: last });
        cur = undefined;
      }
    }
    if (cur) out.push(cur);
  }
  return { ranges: out, usable };
}

function cvssOf(severity: unknown): Cvss[] {
  const out: Cvss[] = [];
  for (const s of arr(severity)) {
    if (!isObject(s)) continue;
    const type = str(s.type);
    const score = str(s.score);
    if (!type || !score) continue;
    const m = /^CVSS:(\d\.\d)\//.exec(score);
    if (type.startsWith('CVSS_') && m) {
      const base = cvss3BaseScore(score);
      out.push({ version: m[1]!, vector: score, ...(base !== undefined && { score: base, severity: cvssRating(base) }) });
    }
  }
  return out;
}

/** The severity an OSV record states in words: Ubuntu's priority or GHSA's level. */
function wordSeverity(doc: Record<string, unknown>): string | undefined {
  for (const s of arr(doc.severity)) if (isObject(s) && str(s.type) === 'Ubuntu') return str(s.score);
  if (isObject(doc.database_specific)) return str(doc.database_specific.severity);
  return undefined;
}

const PRIMARY_LINKS = /^https:\/\/(security-tracker\.debian\.org|ubuntu\.com\/security|security\.alpinelinux\.org|access\.redhat\.com|github\.com\/advisories|nvd\.nist\.gov|osv\.dev)\//;

function linkRank(url: string): number {
  return PRIMARY_LINKS.test(url) ? 0 : 1;
}

/**
 * Parses one OSV record.
 *
 * @example [...parseOsvRecord(JSON.parse(line), 'feed.jsonl:3')]
 */
export function* parseOsvRecord(doc: unknown, origin: string): Iterable<ParseItem> {
  if (!isObject(doc)) {
    yield { kind: 'problem', origin, message: 'OSV record is not a JSON object; skipped' };
    return;
  }
  const id = str(doc.id);
  if (!id || id.length > 200) {
    yield { kind: 'problem', origin, message: 'OSV record has no "id"; skipped' };
    return;
  }
  if (doc.affected !== undefined && !Array.isArray(doc.affected)) {
    yield { kind: 'problem', origin, message: `${id}: "affected" is not a list; skipped` };
    return;
  }
  const word = wordSeverity(doc);
  const advisorySeverity: Severity | undefined = word ? normalizeSeverity(word) : undefined;
  const affected: AffectedPackage[] = [];
  for (const [i, a] of arr(doc.affected).entries()) {
    if (!isObject(a)) {
      yield { kind: 'problem', origin, message: `${id}: affected[${i}] is not an object; that entry skipped` };
      continue;
    }
    // OSV allows entries without a package that only name upstream commits (GIT ranges): nothing to match
    if (!isObject(a.package) || Object.keys(a.package).length === 0) continue;
    const namespace = str(a.package.ecosystem);
    const name = str(a.package.name);
    if (!namespace || !name) {
      yield { kind: 'problem', origin, message: `${id}: affected[${i}].package lacks ecosystem or name; that entry skipped` };
      continue;
    }
    const { ranges, usable } = rangesOf(arr(a.ranges));
    const versions = strings(a.versions);
    if (!usable && versions.length === 0) continue; // GIT-only entries cannot be matched to installed versions
    const urgency = isObject(a.ecosystem_specific) ? str(a.ecosystem_specific.urgency) ?? str(a.ecosystem_specific.severity) : undefined;
    const raw = urgency ?? word;
    affected.push({
      namespace,
      package: name,
      state: 'affected',
      ranges: usable ? ranges : [],
      // enumerated versions only matter when there is no version range (they repeat it otherwise)
      ...(!usable && versions.length > 0 && { versions }),
      ...(raw !== undefined && { severity: normalizeSeverity(raw), severityRaw: raw }),
    });
  }
  const links = arr(doc.references)
    .map((r) => (isObject(r) ? str(r.url) : undefined))
    .filter((u): u is string => u !== undefined)
    // the distribution's own tracker page first: reports show the first few links only
    .sort((a, b) => linkRank(a) - linkRank(b));
  const aliases = [...new Set([...strings(doc.aliases), ...strings(doc.upstream), ...strings(doc.related)])].filter((x) => x !== id);
  const summary = str(doc.summary) ?? str(doc.details)?.slice(0, 500);
  yield {
    kind: 'advisory',
    advisory: {
      source: 'osv',
      id,
      aliases,
      ...(summary && { summary }),
      ...(str(doc.published) && { published: str(doc.published) }),
      ...(str(doc.modified) && { modified: str(doc.modified) }),
      ...(advisorySeverity && { severity: advisorySeverity }),
      cvss: cvssOf(doc.severity),
      links,
      affected,
      origin,
    },
  };
}

/** The OSV source. */
export const osv: VulnSource = {
  name: 'osv',
  help: 'OSV records: Debian, Ubuntu, Alpine (osv.dev conversions), PyPI (PyPA) and npm (GitHub advisories)',
  urls: OSV_ECOSYSTEMS.map((e) => `${OSV_BASE_URL}/${e}/all.zip`),
  accepts: (doc) => isObject(doc) && typeof doc.id === 'string' && (Array.isArray(doc.affected) || typeof doc.modified === 'string') && !('document' in doc) && !('@context' in doc),
  parseDocument: parseOsvRecord,
  fetch: (fingerprint, options: FetchOptions) => fetchAll(options.baseUrl ?? OSV_BASE_URL, OSV_ECOSYSTEMS.map((e) => `${e}/all.zip`), fingerprint, options),
  parse(body, options?: OperationOptions) {
    return parseFiles(osv, body, options);
  },
};
