/**
 * The scan report: the one stable structure every output format is written from. Its JSON form
 * is documented in docs/image-report.md; change it only by adding fields.
 */
import type { Severity } from '../sources/types.js';
import type { ImageInventory } from '../types.js';
import type { Coverage, Finding, MatchResult } from '../match/types.js';

export const REPORT_SCHEMA_VERSION = 1;

export interface ReportFinding {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly related: readonly string[];
  readonly package: {
    readonly name: string;
    readonly version: string;
    readonly ecosystem: string;
    readonly sourceName?: string;
    readonly sourceVersion?: string;
    readonly arch?: string;
    readonly purl: string;
    readonly layer: string;
    readonly file: string;
  };
  readonly installedVersion: string;
  readonly fixedVersion?: string;
  readonly state: 'fixed' | 'unfixed';
  readonly severity: Severity;
  readonly severitySource: string;
  readonly cvss?: { readonly version: string; readonly vector: string; readonly score?: number; readonly by?: string };
  readonly title?: string;
  readonly links: readonly string[];
  readonly evidence: readonly {
    readonly source: string;
    readonly advisoryId: string;
    readonly namespace: string;
    readonly advisoryPackage: string;
    readonly origin: string;
    readonly comparedVersion: string;
    readonly comparisons: readonly string[];
    readonly reason: string;
  }[];
}

export interface ScanReport {
  readonly schemaVersion: number;
  readonly tool: { readonly name: 'vigil'; readonly version: string };
  readonly createdAt: string;
  readonly artifact: {
    readonly reference: string;
    readonly digest: string;
    readonly digestKind: ImageInventory['digestKind'];
    readonly configDigest: string;
    readonly platform?: { os: string; architecture: string; variant?: string };
    readonly distribution?: { id: string; versionId: string; codename?: string; prettyName?: string };
    readonly layers: readonly { digest: string; diffId: string; mediaType: string; size: number; createdBy?: string }[];
    readonly packageCount: number;
  };
  readonly database: MatchResult['database'];
  readonly coverage: Coverage;
  readonly filters: { readonly severities?: readonly Severity[]; readonly ignoreUnfixed: boolean; readonly ignored: readonly string[] };
  readonly summary: {
    readonly total: number;
    readonly fixable: number;
    readonly unfixed: number;
    readonly bySeverity: Readonly<Record<Severity, number>>;
    /** Findings removed by --severity, --ignore-unfixed or the ignore file. */
    readonly filteredOut: number;
  };
  readonly findings: readonly ReportFinding[];
  /** Non-fatal problems from reading the image. */
  readonly warnings: readonly string[];
}

/** Options that turn a match result into a report. */
export interface ReportOptions {
  readonly severities?: readonly Severity[];
  readonly ignoreUnfixed?: boolean;
  /** Vulnerability ids (or aliases) to leave out, from an ignore file. */
  readonly ignore?: ReadonlySet<string>;
  readonly toolVersion: string;
  readonly now?: Date;
}

export type { Finding };
