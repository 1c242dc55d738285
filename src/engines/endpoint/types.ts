/**
 * Types shared by the endpoint engine: specs -> tables -> vtab -> shell | daemon -> fleet.
 * A table is declared once as a spec (specs/<name>.ts, osquery's schema) and implemented once
 * (tables/{linux,posix}/<name>.ts, same file name).
 */

/** osquery column types. */
export type ColumnType = 'TEXT' | 'INTEGER' | 'BIGINT' | 'UNSIGNED_BIGINT' | 'DOUBLE' | 'BLOB' | 'DATETIME';

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  /** Constraints on this column are pushed to the generator (osquery `index=True`). */
  readonly index?: boolean;
  /** The table cannot be scanned without a constraint on a required column. */
  readonly required?: boolean;
  /** Not returned by `SELECT *` (osquery `hidden=True`). */
  readonly hidden?: boolean;
  readonly additional?: boolean;
  readonly optimized?: boolean;
  readonly collate?: string;
  readonly aliases?: readonly string[];
  /** Set only when the column belongs to fewer platforms than its table (osquery `extended_schema`). */
  readonly platforms?: readonly string[];
}

export interface TableSpec {
  readonly name: string;
  readonly columns: readonly ColumnSpec[];
  readonly aliases?: readonly string[];
  readonly platforms: readonly string[];
  readonly attributes?: readonly string[];
  /** osquery builds the table only under this condition (`x86_64 only`, `OSQUERY_BUILD_DPKG`). */
  readonly buildCondition?: string;
}

/** A value a generator puts in a row; everything is rendered as a string in osquery's JSON output. */
export type CellValue = string | number | bigint | null;
export type Row = Record<string, CellValue>;

/** What a generator knows about the running query. */
export interface QueryContext {
  /**
   * The values the query pins `column` to with `=` or `IN (...)`, or undefined when the column is
   * unconstrained. Generators use it to read only what is asked (`WHERE pid = 1` reads one process).
   * SQLite still re-checks every returned row, so a generator may return extra rows but never fewer.
   */
  constraint(column: string): readonly string[] | undefined;
  /** LIKE patterns on `column` (osquery's %/%% globs for file/hash paths), or undefined. */
  like(column: string): readonly string[] | undefined;
  /** Report a row that could not be read (process exited, permission denied); one warning per cause. */
  warn(message: string, cause?: unknown): void;
  /** Aborted when the user cancels the query (Ctrl-C in the shell). Check it in long loops. */
  readonly signal: AbortSignal;
}

/**
 * A table implementation. `generate` is synchronous because SQLite virtual tables are: it yields rows
 * lazily so that huge results stream. A table with nothing to read on this machine yields no rows;
 * it never invents rows. Per-row failures are skipped with ctx.warn, never thrown.
 */
export interface TableImpl {
  readonly name: string;
  generate(ctx: QueryContext): Iterable<Row>;
  /**
   * Columns whose value is expensive (a hash, a libmagic call): the generator defines them as getters on
   * the row and the SQL engine reads them only when the query uses them.
   */
  readonly lazyColumns?: readonly string[];
}
