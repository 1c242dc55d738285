/**
 * Vulnerability sources, one file each, in a registry keyed by name (sorted). `vigil db import`
 * routes each JSON document to the first source that accepts it; `vigil db update` calls `fetch`.
 */
import { createRegistry } from '../../../core/registry.js';
import { alpineSecdb } from './alpine-secdb.js';
import { nvd } from './nvd.js';
import { osv } from './osv.js';
import { redhatCsaf } from './redhat-csaf.js';
import type { VulnSource } from './types.js';
import { ubuntuVex } from './ubuntu-vex.js';

export * from './types.js';
export { normalizeSeverity } from './severity.js';
export { readFeedPath } from './read.js';

/** Every source. Order matters for import routing only where two could accept one document (none do). */
export const vulnSources = createRegistry<VulnSource>('vulnerability source', [alpineSecdb, nvd, osv, redhatCsaf, ubuntuVex]);

/**
 * The source that understands a document, or undefined.
 *
 * @example sourceForDocument(JSON.parse(text))?.name // 'osv'
 */
export function sourceForDocument(doc: unknown): VulnSource | undefined {
  // NVD before OSV: a single NVD cve object also has a string "id"
  for (const name of ['alpine-secdb', 'redhat-csaf', 'ubuntu-vex', 'nvd', 'osv']) {
    const s = vulnSources.get(name)!;
    if (s.accepts(doc)) return s;
  }
  return undefined;
}
