import type { WantedPattern } from '../unpack/glob.js';
import type { Distribution, Ecosystem } from '../types.js';

/** A package as one database file states it, before layer attribution. */
export interface DetectedPackage {
  readonly ecosystem: Ecosystem;
  readonly name: string;
  readonly version: string;
  readonly sourceName?: string;
  readonly sourceVersion?: string;
  readonly arch?: string;
  readonly purl: string;
}

/** What a detector made of one file: its packages and any records it had to skip. */
export interface DetectResult {
  readonly packages: DetectedPackage[];
  /** Human-readable problems ("line 12: stanza without Package"), reported as warnings. */
  readonly problems: string[];
}

/** What a detector knows besides the file: the distribution, for purls. */
export interface DetectContext {
  readonly distribution?: Distribution;
}

/**
 * A package detector (claircore's PackageScanner): one file each, listed in detect/index.ts.
 * `detect` is pure, never throws for bad input, and is called once per version of each wanted file.
 */
export interface PackageDetector {
  readonly name: string;
  /** Bumped when results for the same input change; recorded in Package.detector as name@version. */
  readonly version: string;
  readonly kind: 'os' | 'language';
  readonly wants: readonly WantedPattern[];
  /** True when this detector reads `path` (the wanted patterns, minus exceptions such as *.md5sums). */
  accepts(path: string): boolean;
  detect(path: string, content: Buffer, context: DetectContext): DetectResult;
}

/** Percent-encodes a purl component (name, version), keeping what purl allows bare. */
export function purlEncode(s: string): string {
  return encodeURIComponent(s).replace(/%2B/g, '+').replace(/%7E/g, '~');
}

/** The purl `distro` qualifier: <id>-<versionId>. */
export function distroQualifier(d: Distribution | undefined): string | undefined {
  return d === undefined ? undefined : `${d.id}-${d.versionId}`;
}

/** Builds a purl: pkg:type/namespace/name@version?qualifiers (qualifiers sorted, empty ones dropped). */
export function buildPurl(type: string, namespace: string | undefined, name: string, version: string, qualifiers: Record<string, string | undefined> = {}): string {
  const q = Object.keys(qualifiers)
    .sort()
    .filter((k) => qualifiers[k] !== undefined && qualifiers[k] !== '')
    .map((k) => `${k}=${purlEncode(qualifiers[k]!)}`)
    .join('&');
  const ns = namespace ? `${namespace.split('/').map(purlEncode).join('/')}/` : '';
  return `pkg:${type}/${ns}${purlEncode(name)}@${purlEncode(version)}${q ? `?${q}` : ''}`;
}

/** Splits an RFC 822-style control file into stanzas of fields, with 1-based start lines. */
export function parseControlStanzas(text: string): { line: number; fields: Map<string, string> }[] {
  const out: { line: number; fields: Map<string, string> }[] = [];
  let fields = new Map<string, string>();
  let start = 1;
  let last: string | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') {
      if (fields.size > 0) out.push({ line: start, fields });
      fields = new Map();
      last = undefined;
      start = i + 2;
      continue;
    }
    if (line[0] === ' ' || line[0] === '\t') {
      if (last !== undefined) fields.set(last, `${fields.get(last)}\n${line.trim()}`);
      continue;
    }
    const c = line.indexOf(':');
    if (c <= 0) {
      last = undefined;
      continue;
    }
    last = line.slice(0, c);
    // Keep the first occurrence, as dpkg does with duplicated fields.
    if (!fields.has(last)) fields.set(last, line.slice(c + 1).trim());
  }
  if (fields.size > 0) out.push({ line: start, fields });
  return out;
}
