/**
 * Vulnerability sources: what a feed says, normalised. A source is a Fetcher + Parser pair
 * (claircore's updater contract): `fetch` downloads its feed unless the fingerprint says it is
 * unchanged; `parse` turns the bytes into advisories, reporting bad records instead of failing.
 */
import type { OperationOptions } from '../../../core/abort.js';

/** One OSV-style range: versions from `introduced` (inclusive) to `fixed` (exclusive) or `lastAffected` (inclusive). */
export interface AffectedRange {
  readonly introduced?: string;
  readonly fixed?: string;
  readonly lastAffected?: string;
  /** An npm/semver range string when the feed gives one instead of events. */
  readonly expression?: string;
}

/**
 * What one advisory says about one package in one namespace (a distribution release such as
 * `Debian:12`, `Alpine:v3.14`, `Ubuntu:22.04:LTS`, `Red Hat:9`, or a language ecosystem `npm`, `PyPI`).
 */
export interface AffectedPackage {
  readonly namespace: string;
  /** For Debian/Ubuntu the source package, for Alpine the origin, otherwise the package name. */
  readonly package: string;
  /** `affected`: versions in the ranges (or list) are vulnerable; `not_affected`: the vendor says this package never was. */
  readonly state: 'affected' | 'not_affected';
  readonly ranges: readonly AffectedRange[];
  /** Explicitly enumerated affected versions (OSV `versions`). */
  readonly versions?: readonly string[];
  /** Normalised severity the distribution gives for this package, when it does. */
  readonly severity?: Severity;
  /** The distribution's own word (Debian urgency, Ubuntu priority, Red Hat impact). */
  readonly severityRaw?: string;
}

export type Severity = 'unknown' | 'negligible' | 'low' | 'medium' | 'high' | 'critical';
/** Severities from least to most severe. */
export const SEVERITIES: readonly Severity[] = ['unknown', 'negligible', 'low', 'medium', 'high', 'critical'];

/** A CVSS score as a feed gives it. */
export interface Cvss {
  readonly version: string;
  readonly vector: string;
  readonly score?: number;
  readonly severity?: string;
  /** Who scored it: nvd@nist.gov, a CNA, the distribution. */
  readonly by?: string;
}

/** One advisory record from one source. */
export interface Advisory {
  readonly source: string;
  /** CVE-…, GHSA-…, DSA-…, PYSEC-…, UBUNTU-CVE-…, RHSA-… */
  readonly id: string;
  /** Other ids of the same problem (aliases, upstream, related). */
  readonly aliases: readonly string[];
  readonly summary?: string;
  readonly published?: string;
  readonly modified?: string;
  /** Advisory-level severity (GHSA, Ubuntu, Red Hat) when there is no per-package one. */
  readonly severity?: Severity;
  readonly cvss: readonly Cvss[];
  readonly links: readonly string[];
  readonly affected: readonly AffectedPackage[];
  /** Where the record came from: file, line or archive member (evidence). */
  readonly origin: string;
}

/** A parser's output: an advisory, or a bad record that was skipped (reported, never fatal). */
export type ParseItem = { readonly kind: 'advisory'; readonly advisory: Advisory } | { readonly kind: 'problem'; readonly origin: string; readonly message: string };

/** A JSON document read from a feed file (a whole file, a JSON-lines line or an archive member). */
export interface FeedDocument {
  readonly origin: string;
  readonly doc: unknown;
}

/** Returned by `fetch` when the feed has not changed since the fingerprint. */
export const UNCHANGED = Symbol('unchanged');
export type Unchanged = typeof UNCHANGED;

/** What `fetch` downloaded: local files to parse and a fingerprint to give the next fetch. */
export interface FetchedBody {
  readonly files: readonly string[];
  readonly fingerprint: string;
  /** The URLs fetched (evidence and status). */
  readonly urls: readonly string[];
}

export interface FetchOptions extends OperationOptions {
  /** Replaces the public base URL (mirrors, tests on 127.0.0.1). */
  readonly baseUrl?: string;
  /** A private directory the files are written to. */
  readonly dir: string;
}

/** A vulnerability source plugin (one file each, listed in sources/index.ts). */
export interface VulnSource {
  readonly name: string;
  readonly help: string;
  /** The real public URLs `vigil db update` reads, for the docs and error messages. */
  readonly urls: readonly string[];
  /** True when this source understands the JSON document (used by `vigil db import`). */
  accepts(doc: unknown): boolean;
  /** Turns one accepted document into advisories and problems. Never throws on bad data. */
  parseDocument(doc: unknown, origin: string): Iterable<ParseItem>;
  /** Downloads the feed into options.dir, or returns UNCHANGED when the fingerprint matches. */
  fetch(fingerprint: string | undefined, options: FetchOptions): Promise<FetchedBody | Unchanged>;
  /** Parses fetched files. */
  parse(body: FetchedBody, options?: OperationOptions): AsyncIterable<ParseItem>;
}
