import type { ColumnSpec, TableSpec } from '../types.js';

/** One column of a table as SQLite sees it. */
export interface DeclaredColumn {
  readonly name: string;
  readonly type: string;
  readonly hidden: boolean;
  /** The spec column whose value this column carries (differs from `name` for osquery column aliases). */
  readonly source: string;
  readonly collate?: string;
}

/**
 * How a spec becomes a virtual table. better-sqlite3 forwards `=` constraints only on leading
 * "parameter" columns, so the index/required columns that lead the spec (pid, path, directory, uid...)
 * become parameters: `WHERE pid = 1` then reaches the generator. Column order stays osquery's.
 */
export interface TableLayout {
  readonly spec: TableSpec;
  readonly columns: readonly DeclaredColumn[];
  /** How many leading columns are parameters when nothing is demoted. */
  readonly paramCount: number;
  /** Columns the table cannot be listed without (any one of them). */
  readonly required: readonly string[];
}

const isPushable = (c: ColumnSpec): boolean => c.index === true || c.required === true;

/**
 * Lays out a spec: spec columns in order, then osquery's column aliases as hidden copies.
 *
 * @example
 * layoutOf(fileSpec).paramCount // 2 (path, directory)
 */
export function layoutOf(spec: TableSpec): TableLayout {
  const columns: DeclaredColumn[] = spec.columns.map((c) => ({
    name: c.name,
    type: c.type,
    hidden: c.hidden === true,
    source: c.name,
    ...(c.collate ? { collate: c.collate } : {}),
  }));
  for (const c of spec.columns) {
    for (const alias of c.aliases ?? []) columns.push({ name: alias, type: c.type, hidden: true, source: c.name });
  }
  let paramCount = 0;
  while (paramCount < spec.columns.length && paramCount < 30 && isPushable(spec.columns[paramCount]!)) paramCount++;
  return {
    spec,
    columns,
    paramCount,
    required: spec.columns.filter((c) => c.required === true).map((c) => c.name),
  };
}

/** osquery stores DATETIME columns as TEXT (its `storage_type`), which also gives SQLite text affinity. */
const storageType = (type: string): string => (type === 'DATETIME' ? 'TEXT' : type);

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** The CREATE TABLE text handed to sqlite3_declare_vtab. Only collations SQLite knows are declared. */
export function declareSql(layout: TableLayout): string {
  const defs = layout.columns.map((c) => {
    let d = `${quote(c.name)} ${storageType(c.type)}`;
    if (c.hidden) d += ' HIDDEN';
    if (c.collate === 'nocase') d += ' COLLATE NOCASE';
    return d;
  });
  return `CREATE TABLE x(${defs.join(', ')})`;
}

/**
 * osquery's `.schema` text for a table (backquoted names, HIDDEN, COLLATE, primary key, WITHOUT ROWID).
 *
 * @example
 * schemaSql(etcHostsSpec)
 * // 'CREATE TABLE etc_hosts(`address` TEXT, `hostnames` TEXT, `pid_with_namespace` INTEGER HIDDEN, PRIMARY KEY (...)) WITHOUT ROWID;'
 */
export function schemaSql(spec: TableSpec, name: string = spec.name): string {
  const layout = layoutOf(spec);
  const defs = layout.columns.map((c) => {
    // osquery prints UNSIGNED_BIGINT as `UNSIGNED BIGINT` and only its own (version) collations.
    let d = `\`${c.name}\` ${c.type === 'UNSIGNED_BIGINT' ? 'UNSIGNED BIGINT' : storageType(c.type)}`;
    if (c.hidden) d += ' HIDDEN';
    if (c.collate && c.collate !== 'nocase') d += ` COLLATE ${c.collate.toUpperCase()}`;
    return d;
  });
  // osquery's key: index + additional columns; all columns when only additional ones exist; none otherwise.
  const indexed = spec.columns.some((c) => c.index === true);
  const additional = spec.columns.some((c) => c.additional === true);
  if (!indexed && !additional) return `CREATE TABLE ${name}(${defs.join(', ')});`;
  const keyColumns = indexed ? spec.columns.filter((c) => c.index === true || c.additional === true) : layout.columns;
  const key = keyColumns.map((c) => `\`${c.name}\``).join(', ');
  return `CREATE TABLE ${name}(${defs.join(', ')}, PRIMARY KEY (${key})) WITHOUT ROWID;`;
}
