/**
 * Imports advisories into the store. One import (all its paths) or one update is one
 * transaction: if it fails or is cancelled, the previous data stays exactly as it was. A bad
 * record is reported (with file:line) and skipped; the others are imported.
 */
import type { OperationOptions } from '../../../core/abort.js';
import { yieldToLoop } from '../../../core/abort.js';
import { AppError } from '../../../core/errors.js';
import type { Queryable, SqlValue, Store } from '../../../storage/types.js';
import type { Advisory, AffectedPackage, ParseItem, VulnSource } from '../sources/types.js';
import { readFeedPath } from '../sources/read.js';
import { sourceForDocument, vulnSources } from '../sources/index.js';
import { IMAGE_VULN_MIGRATIONS } from './migrations.js';

/** A record that was skipped, and why. */
export interface ImportProblem {
  readonly origin: string;
  readonly message: string;
}

export interface ImportResult {
  /** Advisories written, per source. */
  readonly advisories: Readonly<Record<string, number>>;
  readonly affected: number;
  readonly problems: readonly ImportProblem[];
  /** How many problems there were in all (the list keeps the first 1000). */
  readonly problemCount: number;
  readonly seconds: number;
}

const MAX_PROBLEMS_KEPT = 1000;
const BATCH = 2000;
/** References kept per advisory: reports show a few; Debian records list up to hundreds. */
const MAX_LINKS = 20;

const UPSERT_ADVISORY =
  'INSERT INTO img_advisory (source, id, aliases, summary, severity, published, modified, links, cvss, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ' +
  'ON CONFLICT (source, id) DO UPDATE SET aliases = excluded.aliases, summary = excluded.summary, severity = excluded.severity, ' +
  'published = excluded.published, modified = excluded.modified, links = excluded.links, cvss = excluded.cvss, origin = excluded.origin';
const UPSERT_AFFECTED =
  'INSERT INTO img_affected (source, advisory_id, namespace, package, state, ranges, versions, fixed, severity, severity_raw, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ' +
  'ON CONFLICT (source, advisory_id, namespace, package) DO UPDATE SET state = excluded.state, ranges = excluded.ranges, versions = excluded.versions, ' +
  'fixed = excluded.fixed, severity = excluded.severity, severity_raw = excluded.severity_raw, origin = excluded.origin';

/**
 * Creates or upgrades the vulnerability tables.
 *
 * @example await migrateVulnStore(store);
 */
export async function migrateVulnStore(store: Store): Promise<void> {
  await store.migrate(IMAGE_VULN_MIGRATIONS);
}

/**
 * One row per (namespace, package): OSV records may list a package several times, once per
 * version line (semver 7.x, 6.x, 5.x), and every range must be kept.
 */
function mergeAffected(list: readonly AffectedPackage[]): AffectedPackage[] {
  const byKey = new Map<string, AffectedPackage>();
  for (const f of list) {
    const key = `${f.namespace}\0${f.package}`;
    const prev = byKey.get(key);
    if (!prev) {
      byKey.set(key, f);
      continue;
    }
    if (prev.state === 'affected' && f.state === 'not_affected') continue;
    if (prev.state === 'not_affected' && f.state === 'affected') {
      byKey.set(key, f);
      continue;
    }
    const versions = [...(prev.versions ?? []), ...(f.versions ?? [])];
    byKey.set(key, { ...prev, ranges: [...prev.ranges, ...f.ranges], ...(versions.length > 0 && { versions }) });
  }
  return [...byKey.values()];
}

/** Writes advisories in batches inside the caller's transaction. */
class Writer {
  // keyed by primary key: a batch never holds one key twice (PostgreSQL refuses that in one upsert)
  private advRows = new Map<string, SqlValue[]>();
  private affRows = new Map<string, SqlValue[]>();
  readonly counts: Record<string, number> = {};
  affected = 0;

  constructor(
    private readonly tx: Queryable,
    private readonly options: OperationOptions,
  ) {}

  async add(a: Advisory): Promise<void> {
    this.advRows.set(`${a.source}\0${a.id}`, [a.source, a.id, JSON.stringify(a.aliases), a.summary ?? null, a.severity ?? null, a.published ?? null, a.modified ?? null, JSON.stringify(a.links.slice(0, MAX_LINKS)), JSON.stringify(a.cvss), a.origin]);
    const rows = mergeAffected(a.affected);
    const merged = rows.length;
    for (const f of rows) {
      const fixed = f.ranges.find((r) => r.fixed !== undefined)?.fixed ?? null;
      this.affRows.set(`${a.source}\0${a.id}\0${f.namespace}\0${f.package}`, [a.source, a.id, f.namespace, f.package, f.state, JSON.stringify(f.ranges), f.versions ? JSON.stringify(f.versions) : null, fixed, f.severity ?? null, f.severityRaw ?? null, a.origin]);
    }
    this.counts[a.source] = (this.counts[a.source] ?? 0) + 1;
    this.affected += merged;
    if (this.advRows.size >= BATCH || this.affRows.size >= BATCH * 4) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.advRows.size > 0) await this.tx.runMany(UPSERT_ADVISORY, this.advRows.values(), { signal: this.options.signal });
    if (this.affRows.size > 0) await this.tx.runMany(UPSERT_AFFECTED, this.affRows.values(), { signal: this.options.signal });
    this.advRows = new Map();
    this.affRows = new Map();
    this.options.signal?.throwIfAborted();
    await yieldToLoop();
  }
}

async function refreshStats(tx: Queryable, sources: Iterable<string>, location: string, fingerprints: ReadonlyMap<string, string>): Promise<void> {
  const now = new Date().toISOString();
  for (const name of sources) {
    const a = await tx.get<{ n: number | string; d: string | null }>('SELECT count(*) AS n, max(modified) AS d FROM img_advisory WHERE source = ?', [name]);
    const f = await tx.get<{ n: number | string }>('SELECT count(*) AS n FROM img_affected WHERE source = ?', [name]);
    const fp = fingerprints.get(name) ?? null;
    // Feeds without dates in their records (Alpine secdb): data just downloaded by `db update` is
    // as new as the download; data imported from files keeps an unknown date.
    const fallbackDate = fp !== null ? now : null;
    await tx.run(
      'INSERT INTO img_source (name, advisories, affected, data_date, imported_at, location, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?) ' +
        'ON CONFLICT (name) DO UPDATE SET advisories = excluded.advisories, affected = excluded.affected, data_date = excluded.data_date, ' +
        'imported_at = excluded.imported_at, location = excluded.location, fingerprint = COALESCE(excluded.fingerprint, img_source.fingerprint)',
      [name, Number(a?.n ?? 0), Number(f?.n ?? 0), a?.d ?? fallbackDate, now, location, fp],
    );
    await tx.run('DELETE FROM img_namespace WHERE source = ?', [name]);
    // data dates per namespace: one source (osv) spans distributions whose feeds age differently
    const ns = await tx.all<{ namespace: string; n: number | string; d: string | null }>(
      'SELECT f.namespace, count(*) AS n, max(a.modified) AS d FROM img_affected f JOIN img_advisory a ON a.source = f.source AND a.id = f.advisory_id WHERE f.source = ? GROUP BY f.namespace',
      [name],
    );
    await tx.runMany('INSERT INTO img_namespace (source, namespace, affected, data_date) VALUES (?, ?, ?, ?)', ns.map((r) => [name, r.namespace, Number(r.n), r.d ?? fallbackDate]));
  }
}

/** Runs a stream of parse items into the store in one transaction. */
async function importItems(
  store: Store,
  items: () => AsyncIterable<ParseItem>,
  location: string,
  fingerprints: ReadonlyMap<string, string>,
  options: OperationOptions,
): Promise<ImportResult> {
  const started = performance.now();
  await migrateVulnStore(store);
  const problems: ImportProblem[] = [];
  let problemCount = 0;
  let done = 0;
  if (store.dialect === 'sqlite') {
    // Bulk upserts touch index pages all over the B-trees; a bigger page cache for this connection
    // (256 MiB at most, released when the connection closes) halves the import time.
    await store.run('PRAGMA cache_size = -262144');
  }
  const result = await store.transaction(
    async (tx) => {
      const w = new Writer(tx, options);
      for await (const item of items()) {
        if (item.kind === 'problem') {
          problemCount++;
          if (problems.length < MAX_PROBLEMS_KEPT) problems.push({ origin: item.origin, message: item.message });
          continue;
        }
        await w.add(item.advisory);
        if (++done % 1000 === 0) options.onProgress?.({ phase: 'import', done, unit: 'advisories', detail: item.advisory.origin.split('!')[0]!.replace(/:\d+$/, '') });
      }
      await w.flush();
      const touched = new Set([...Object.keys(w.counts), ...fingerprints.keys()]);
      await refreshStats(tx, touched, location, fingerprints);
      return { advisories: w.counts, affected: w.affected };
    },
    { signal: options.signal },
  );
  options.onProgress?.({ phase: 'import', done, unit: 'advisories' });
  return { ...result, problems, problemCount, seconds: (performance.now() - started) / 1000 };
}

/**
 * `vigil db import PATH...`: reads every feed file under the paths (any format any source
 * accepts) and writes it in one transaction.
 *
 * @example
 * const r = await importFeedPaths(store, ['../shared/vulndata/debian'], { onProgress });
 */
export async function importFeedPaths(store: Store, paths: readonly string[], options: OperationOptions = {}): Promise<ImportResult> {
  if (paths.length === 0) throw new AppError('USAGE', 'vigil db import needs at least one file or folder');
  return importItems(
    store,
    async function* () {
      for (const path of paths) {
        for await (const item of readFeedPath(path)) {
          options.signal?.throwIfAborted();
          if (item.kind === 'problem') {
            yield item;
            continue;
          }
          const source = sourceForDocument(item.document.doc);
          if (!source) {
            yield { kind: 'problem', origin: item.document.origin, message: 'no source understands this document (not OSV, Alpine secdb, NVD API 2.0, Red Hat CSAF or OpenVEX); skipped' };
            continue;
          }
          yield* source.parseDocument(item.document.doc, item.document.origin);
        }
      }
    },
    paths.join(', '),
    new Map(),
    options,
  );
}

export interface UpdateOptions extends OperationOptions {
  /** Private download directory. */
  readonly dir: string;
  /** Per-source base URL overrides (mirrors, tests). */
  readonly baseUrls?: Readonly<Record<string, string>>;
}

export interface UpdateResult {
  readonly sources: readonly { readonly name: string; readonly status: 'updated' | 'unchanged'; readonly urls: readonly string[] }[];
  readonly import?: ImportResult;
}

/**
 * `vigil db update`: fetches each source (conditionally, by fingerprint) and imports what changed,
 * all in one transaction. A failed download leaves the database untouched.
 *
 * @example await updateSources(store, ['alpine-secdb'], { dir: tmp });
 */
export async function updateSources(store: Store, names: readonly string[], options: UpdateOptions): Promise<UpdateResult> {
  await migrateVulnStore(store);
  const chosen: VulnSource[] = names.map((n) => {
    const s = vulnSources.get(n);
    if (!s) throw new AppError('IMG_SOURCE_UNKNOWN', `unknown vulnerability source ${JSON.stringify(n)}; known: ${vulnSources.names().join(', ')}`, { details: { source: n } });
    return s;
  });
  const fetched: { source: VulnSource; body: import('../sources/types.js').FetchedBody }[] = [];
  const status: { name: string; status: 'updated' | 'unchanged'; urls: readonly string[] }[] = [];
  for (const source of chosen) {
    const row = await store.get<{ fingerprint: string | null }>('SELECT fingerprint FROM img_source WHERE name = ?', [source.name]);
    const dir = `${options.dir}/${source.name}`;
    await (await import('node:fs/promises')).mkdir(dir, { recursive: true });
    const baseUrl = options.baseUrls?.[source.name];
    const body = await source.fetch(row?.fingerprint ?? undefined, { dir, ...(baseUrl && { baseUrl }), ...(options.signal && { signal: options.signal }), ...(options.onProgress && { onProgress: options.onProgress }) });
    if (typeof body === 'symbol') {
      status.push({ name: source.name, status: 'unchanged', urls: source.urls });
      continue;
    }
    fetched.push({ source, body });
    status.push({ name: source.name, status: 'updated', urls: body.urls });
  }
  if (fetched.length === 0) return { sources: status };
  const fingerprints = new Map(fetched.map((f) => [f.source.name, f.body.fingerprint]));
  const result = await importItems(
    store,
    async function* () {
      for (const f of fetched) yield* f.source.parse(f.body, options);
    },
    fetched.flatMap((f) => f.body.urls).join(', '),
    fingerprints,
    options,
  );
  return { sources: status, import: result };
}
