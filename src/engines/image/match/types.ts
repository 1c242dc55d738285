/**
 * Matching: packages of an inventory against the vulnerability store. A matcher (claircore's
 * Filter/Query/Vulnerable) says which packages it handles, where to look them up, and judges
 * each advisory row with its ecosystem's version ordering, keeping the comparison as evidence.
 */
import type { Distribution, ImageInventory, Package } from '../types.js';
import type { AffectedRange, Cvss, Severity } from '../sources/types.js';
import type { VersionScheme } from '../versions/types.js';

/** Where and under which names a package's advisories are stored. */
export interface MatchQuery {
  /** Namespaces to look in, most specific first (`Ubuntu:22.04:LTS`, `Ubuntu:22.04`). */
  readonly namespaces: readonly string[];
  /** Names advisories use for it: the source package for Debian/Ubuntu, origin for Alpine. */
  readonly names: readonly string[];
}

/** A matcher plugin: one per distribution family or language ecosystem. */
export interface Matcher {
  readonly name: string;
  readonly help: string;
  readonly scheme: VersionScheme;
  /** True when this matcher is responsible for the package in this image. */
  filter(pkg: Package, distribution: Distribution | undefined): boolean;
  query(pkg: Package, distribution: Distribution | undefined): MatchQuery;
  /** The version advisories compare against (source version for source-keyed feeds). */
  versionOf(pkg: Package): string;
}

/** One advisory row as stored (img_affected joined with img_advisory). */
export interface AdvisoryRow {
  readonly source: string;
  readonly advisoryId: string;
  readonly namespace: string;
  readonly package: string;
  readonly state: 'affected' | 'not_affected';
  readonly ranges: readonly AffectedRange[];
  readonly versions?: readonly string[];
  readonly severity?: Severity;
  readonly severityRaw?: string;
  readonly aliases: readonly string[];
  readonly summary?: string;
  readonly advisorySeverity?: Severity;
  readonly cvss: readonly Cvss[];
  readonly links: readonly string[];
  readonly origin: string;
  readonly modified?: string;
}

/** fixed: vulnerable, a fixed version exists; unfixed: vulnerable, no fix yet; not_affected: checked, not vulnerable. */
export type VerdictState = 'fixed' | 'unfixed' | 'not_affected';

/** One judgement of one advisory row against one package, with everything that led to it. */
export interface Verdict {
  readonly state: VerdictState;
  readonly fixedVersion?: string;
  /** The version comparisons made, in words: "dpkg: 7.88.1-10+deb12u5 < 7.88.1-10+deb12u8 (fixed)". */
  readonly comparisons: readonly string[];
  readonly reason: string;
  readonly row: AdvisoryRow;
  readonly matcher: string;
  readonly comparedVersion: string;
  /** The installed package judged. */
  readonly package: Package;
}

/** A vulnerability reported for a package (one per package and vulnerability id). */
export interface Finding {
  /** CVE id when there is one, else the advisory id (GHSA-…, PYSEC-…). */
  readonly id: string;
  readonly aliases: readonly string[];
  readonly package: Package;
  readonly state: 'fixed' | 'unfixed';
  readonly installedVersion: string;
  readonly fixedVersion?: string;
  readonly severity: Severity;
  /** Who the severity comes from: the distribution (`osv:Debian:12`), the advisory, or `nvd`. */
  readonly severitySource: string;
  readonly cvss?: Cvss;
  readonly title?: string;
  readonly links: readonly string[];
  /** Every advisory verdict behind this finding (several sources may agree). */
  readonly evidence: readonly Verdict[];
  /** Distribution advisories (DSA, RHSA, USN…) that fix the same CVE. */
  readonly related: readonly string[];
}

/** Whether a package could be checked at all. */
export interface PackageCoverage {
  readonly package: Package;
  readonly matcher?: string;
  readonly namespaces: readonly string[];
  readonly names: readonly string[];
  /** checked: the namespace has data; no-data: nothing in the database for it; unsupported: no matcher. */
  readonly status: 'checked' | 'no-data' | 'unsupported';
  readonly advisories: number;
}

export interface NamespaceCoverage {
  readonly namespace: string;
  readonly sources: readonly string[];
  readonly affectedRows: number;
  readonly dataDate: string | null;
  readonly stale: boolean;
}

/** What the database could say about this image: complete, partial or none. */
export interface Coverage {
  readonly status: 'complete' | 'partial' | 'none';
  readonly checkedPackages: number;
  readonly uncheckedPackages: number;
  readonly namespaces: readonly NamespaceCoverage[];
  /** Loud, human sentences: empty database, missing namespace, stale data. */
  readonly warnings: readonly string[];
}

export interface MatchResult {
  readonly inventory: ImageInventory;
  readonly findings: readonly Finding[];
  readonly notAffected: readonly Verdict[];
  readonly packages: readonly PackageCoverage[];
  readonly coverage: Coverage;
  readonly database: { readonly location: string; readonly sources: readonly { name: string; dataDate: string | null; advisories: number }[] };
  readonly matchedAt: string;
}
