import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { QueryContext, Row, TableImpl } from '../../types.js';
import { RPMTAG, parseRpmHeader, type RpmHeader } from '../common/rpm-header.js';

/** Where rpm >= 4.16 keeps its database with the sqlite backend (Fedora 33+, RHEL 9, Amazon Linux 2023). */
export const RPMDB_SQLITE = '/var/lib/rpm/rpmdb.sqlite';

/**
 * The rpm_packages row for a decoded header, with osquery's columns: size prefers the 64-bit LONGSIZE,
 * absent tags are NULL.
 *
 * @example
 * rpmRow(parseRpmHeader(blob, 'test')).name
 */
export function rpmRow(h: RpmHeader): Row {
  return {
    name: h.string(RPMTAG.NAME),
    version: h.string(RPMTAG.VERSION),
    release: h.string(RPMTAG.RELEASE),
    source: h.string(RPMTAG.SOURCERPM),
    size: h.number(RPMTAG.LONGSIZE) ?? h.number(RPMTAG.SIZE),
    sha1: h.string(RPMTAG.SHA1HEADER),
    arch: h.string(RPMTAG.ARCH),
    epoch: h.number(RPMTAG.EPOCH),
    install_time: h.number(RPMTAG.INSTALLTIME),
    vendor: h.string(RPMTAG.VENDOR),
    package_group: h.string(RPMTAG.GROUP),
    pid_with_namespace: 0,
    mount_namespace_id: null,
  };
}

/**
 * Every package header in an rpmdb.sqlite file, opened read-only. Headers that do not decode are skipped
 * with one warning each (naming the hnum and byte offset); an unreadable database gives one warning and
 * nothing. `table` names the caller in warnings.
 *
 * @example
 * for (const h of readRpmHeaders('/var/lib/rpm/rpmdb.sqlite', ctx, 'rpm_packages')) h.string(RPMTAG.NAME);
 */
export function* readRpmHeaders(path: string, ctx: QueryContext, table: string): Generator<RpmHeader> {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (e) {
    ctx.warn(`${table}: cannot open ${path}`, e);
    return;
  }
  try {
    let rows: Iterable<unknown>;
    try {
      rows = db.prepare('SELECT hnum, blob FROM Packages ORDER BY hnum').iterate();
    } catch (e) {
      ctx.warn(`${table}: ${path} has no readable Packages table`, e);
      return;
    }
    for (const raw of rows) {
      if (ctx.signal.aborted) return;
      const { hnum, blob } = raw as { hnum: number; blob: unknown };
      if (!(blob instanceof Uint8Array)) {
        ctx.warn(`${table}: ${path} hnum ${hnum}: blob is not binary; package skipped`);
        continue;
      }
      let header: RpmHeader;
      try {
        header = parseRpmHeader(blob, `${path} hnum ${hnum}`);
      } catch (e) {
        ctx.warn(`${table}: ${e instanceof Error ? e.message : String(e)}; package skipped`, e);
        continue;
      }
      yield header;
    }
  } finally {
    db.close();
  }
}

/**
 * rpm_packages rows for every package in an rpmdb.sqlite file (see readRpmHeaders for error handling).
 *
 * @example
 * const rows = [...readRpmDb('/var/lib/rpm/rpmdb.sqlite', ctx)];
 */
export function* readRpmDb(path: string, ctx: QueryContext): Generator<Row> {
  const names = ctx.constraint('name');
  for (const h of readRpmHeaders(path, ctx, 'rpm_packages')) {
    const row = rpmRow(h);
    if (names !== undefined && !names.includes(String(row.name))) continue;
    yield row;
  }
}

/**
 * `rpm_packages`: installed RPM packages from the sqlite rpmdb, read directly (no librpm). Hosts without
 * that database (Debian, or rpm's older BerkeleyDB/NDB backends) yield nothing.
 *
 * @example
 * const names = [...rpmPackages.generate(createTestContext())].map((r) => r.name);
 */
export const rpmPackages: TableImpl = {
  name: 'rpm_packages',
  *generate(ctx) {
    if (!existsSync(RPMDB_SQLITE)) return;
    yield* readRpmDb(RPMDB_SQLITE, ctx);
  },
};
