/** Judges one advisory row against an installed version, writing down each comparison made. */
import type { VersionScheme } from '../versions/types.js';
import type { AffectedRange } from '../sources/types.js';
import type { AdvisoryRow, VerdictState } from './types.js';

function rel(c: number): string {
  return c < 0 ? '<' : c > 0 ? '>' : '=';
}

export interface Evaluation {
  readonly state: VerdictState;
  readonly fixedVersion?: string;
  readonly comparisons: string[];
  readonly reason: string;
}

function inRange(scheme: VersionScheme, v: string, r: AffectedRange, log: string[]): boolean {
  if (r.introduced !== undefined) {
    const c = scheme.compare(v, r.introduced);
    log.push(`${scheme.name}: ${v} ${rel(c)} ${r.introduced} (introduced)`);
    if (c < 0) return false;
  }
  if (r.fixed !== undefined) {
    const c = scheme.compare(v, r.fixed);
    log.push(`${scheme.name}: ${v} ${rel(c)} ${r.fixed} (fixed)`);
    if (c >= 0) return false;
  }
  if (r.lastAffected !== undefined) {
    const c = scheme.compare(v, r.lastAffected);
    log.push(`${scheme.name}: ${v} ${rel(c)} ${r.lastAffected} (last affected)`);
    if (c > 0) return false;
  }
  if (r.introduced === undefined && r.fixed === undefined && r.lastAffected === undefined) log.push(`${scheme.name}: every version of the package (no fix yet)`);
  return true;
}

/**
 * Evaluates a row with OSV semantics: vulnerable when the version is inside any range or equal
 * to an enumerated version.
 *
 * @example evaluateRow(dpkg, '7.88.1-10+deb12u5', row).state // 'fixed'
 */
export function evaluateRow(scheme: VersionScheme, version: string, row: Pick<AdvisoryRow, 'state' | 'ranges' | 'versions' | 'source' | 'namespace'>): Evaluation {
  const comparisons: string[] = [];
  if (row.state === 'not_affected') {
    return { state: 'not_affected', comparisons, reason: `${row.source} states the package is not affected in ${row.namespace}` };
  }
  for (const r of row.ranges) {
    if (inRange(scheme, version, r, comparisons)) {
      if (r.fixed !== undefined) return { state: 'fixed', fixedVersion: r.fixed, comparisons, reason: `installed ${version} is before the fixed version ${r.fixed}` };
      return { state: 'unfixed', comparisons, reason: r.lastAffected ? `installed ${version} is at or before the last affected version ${r.lastAffected}; no fix is known` : 'no fixed version is known yet' };
    }
  }
  for (const listed of row.versions ?? []) {
    if (scheme.compare(version, listed) === 0) {
      comparisons.push(`${scheme.name}: ${version} = ${listed} (listed as affected)`);
      return { state: 'unfixed', comparisons, reason: `installed ${version} is listed as an affected version` };
    }
  }
  if (row.versions && row.versions.length > 0) comparisons.push(`${scheme.name}: ${version} is not among the ${row.versions.length} versions listed as affected`);
  const fixed = row.ranges.find((r) => r.fixed !== undefined)?.fixed;
  return {
    state: 'not_affected',
    comparisons,
    reason: fixed !== undefined ? `installed ${version} is at or after the fixed version ${fixed}` : `installed ${version} is outside every affected range`,
  };
}
