/** What the vulnerability database holds: sources, counts, data dates, namespaces. */
import type { Queryable, Store } from '../../../storage/types.js';
import { IMAGE_VULN_MIGRATIONS } from './migrations.js';

export interface SourceStatus {
  readonly name: string;
  readonly advisories: number;
  readonly affected: number;
  /** Newest `modified` date inside the data (not the import date). */
  readonly dataDate: string | null;
  readonly importedAt: string;
  readonly location: string;
}

export interface NamespaceStatus {
  readonly source: string;
  readonly namespace: string;
  readonly affected: number;
  /** Newest `modified` among this source's advisories for the namespace. */
  readonly dataDate: string | null;
}

export interface DbStatus {
  readonly location: string;
  readonly initialised: boolean;
  readonly sources: readonly SourceStatus[];
  readonly namespaces: readonly NamespaceStatus[];
}

/** True when the store has the vulnerability tables. */
export async function isVulnStoreInitialised(store: Store): Promise<boolean> {
  const applied = await store.appliedMigrations(IMAGE_VULN_MIGRATIONS.namespace);
  return applied.length > 0;
}

/**
 * Reads the status; never creates tables (a scan against a new, empty database must say so).
 *
 * @example const s = await dbStatus(store); s.sources.map((x) => x.name)
 */
export async function dbStatus(store: Store): Promise<DbStatus> {
  if (!(await isVulnStoreInitialised(store))) return { location: store.location, initialised: false, sources: [], namespaces: [] };
  return { location: store.location, initialised: true, sources: await readSources(store), namespaces: await readNamespaces(store) };
}

async function readSources(q: Queryable): Promise<SourceStatus[]> {
  const rows = await q.all<{ name: string; advisories: number | string; affected: number | string; data_date: string | null; imported_at: string; location: string }>(
    'SELECT name, advisories, affected, data_date, imported_at, location FROM img_source ORDER BY name',
  );
  return rows.map((r) => ({ name: r.name, advisories: Number(r.advisories), affected: Number(r.affected), dataDate: r.data_date, importedAt: r.imported_at, location: r.location }));
}

async function readNamespaces(q: Queryable): Promise<NamespaceStatus[]> {
  const rows = await q.all<{ source: string; namespace: string; affected: number | string; data_date: string | null }>(
    'SELECT source, namespace, affected, data_date FROM img_namespace ORDER BY namespace, source',
  );
  return rows.map((r) => ({ source: r.source, namespace: r.namespace, affected: Number(r.affected), dataDate: r.data_date }));
}
