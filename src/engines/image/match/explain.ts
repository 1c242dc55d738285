/**
 * `vigil image explain TARGET ID`: the evidence chain behind a vulnerability id or a package,
 * including why something is NOT reported (checked and not affected, no data, not installed).
 */
import type { Store } from '../../../storage/types.js';
import type { Package } from '../types.js';
import type { Finding, MatchResult, PackageCoverage, Verdict } from './types.js';

export interface PackageExplanation {
  readonly coverage: PackageCoverage;
  readonly findings: readonly Finding[];
  readonly notAffected: readonly Verdict[];
}

export interface Explanation {
  readonly query: string;
  readonly kind: 'vulnerability' | 'package';
  readonly digest: string;
  /** vulnerability: findings that carry the id. */
  readonly findings: readonly Finding[];
  /** vulnerability: advisory rows that were checked and found not to apply. */
  readonly notAffected: readonly Verdict[];
  /** vulnerability: what the database holds for this id outside this image. */
  readonly elsewhere: readonly { source: string; advisoryId: string; namespace: string; package: string; state: string }[];
  readonly inDatabase: boolean;
  /** package: one entry per installed package of that name (or source name). */
  readonly packages: readonly PackageExplanation[];
  readonly coverageWarnings: readonly string[];
}

function mentions(id: string, advisoryId: string, aliases: readonly string[]): boolean {
  return advisoryId === id || aliases.includes(id);
}

function samePackage(a: Package, b: Package): boolean {
  return a.name === b.name && a.version === b.version && a.file === b.file && a.arch === b.arch;
}

/**
 * @example const e = await explainMatch(store, result, 'CVE-2023-38545');
 */
export async function explainMatch(store: Store, result: MatchResult, query: string): Promise<Explanation> {
  const id = query.trim();
  const isVuln = /^[A-Z][A-Z0-9]*-[0-9A-Za-z:._-]+$/.test(id) && !result.inventory.packages.some((p) => p.name === id);
  const base = { query: id, digest: result.inventory.digest, coverageWarnings: result.coverage.warnings };
  if (isVuln) {
    const findings = result.findings.filter((f) => f.id === id || f.aliases.includes(id) || f.related.includes(id));
    const notAffected = result.notAffected.filter((v) => mentions(id, v.row.advisoryId, v.row.aliases));
    let elsewhere: Explanation['elsewhere'] = [];
    let inDatabase = findings.length > 0 || notAffected.length > 0;
    try {
      const rows = await store.all<{ source: string; advisory_id: string; namespace: string; package: string; state: string }>(
        'SELECT f.source, f.advisory_id, f.namespace, f.package, f.state FROM img_affected f JOIN img_advisory a ON a.source = f.source AND a.id = f.advisory_id ' +
          'WHERE f.advisory_id = ? OR a.aliases LIKE ? ORDER BY f.namespace, f.package LIMIT 200',
        [id, `%"${id.replace(/[%_"]/g, '')}"%`],
      );
      const adv = await store.get<{ n: number | string }>('SELECT count(*) AS n FROM img_advisory WHERE id = ?', [id]);
      inDatabase = inDatabase || rows.length > 0 || Number(adv?.n ?? 0) > 0;
      elsewhere = rows.map((r) => ({ source: r.source, advisoryId: r.advisory_id, namespace: r.namespace, package: r.package, state: r.state }));
    } catch {
      // an uninitialised database has no tables: nothing elsewhere, which the coverage warnings already say
    }
    return { ...base, kind: 'vulnerability', findings, notAffected, elsewhere, inDatabase, packages: [] };
  }
  const packages: PackageExplanation[] = result.packages
    .filter((c) => c.package.name === id || c.package.sourceName === id)
    .map((c) => ({
      coverage: c,
      findings: result.findings.filter((f) => samePackage(f.package, c.package)),
      notAffected: result.notAffected.filter((v) => samePackage(v.package, c.package)),
    }));
  return { ...base, kind: 'package', findings: [], notAffected: [], elsewhere: [], inDatabase: false, packages };
}
