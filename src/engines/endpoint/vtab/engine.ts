import { createRequire } from 'node:module';
import Database from 'better-sqlite3';
import { AppError, isAbortError, isAppError } from '../../../core/errors.js';
import type { CellValue, QueryContext, Row, TableImpl, TableSpec } from '../types.js';
import { declareSql, layoutOf, schemaSql, type TableLayout } from './layout.js';
import { findTableRefs, hasNonEqualityUse, literalConstraints, tokenize, type Token } from './sql-text.js';

/** better-sqlite3's handle on the native database, used to register modules with our own xFilter rows. */
const cppdb = (createRequire(import.meta.url)('better-sqlite3/lib/util.js') as { cppdb: symbol }).cppdb;

type RawFactory = (moduleName: string, dbName: string, tableName: string, ...args: string[]) => [string, (...args: unknown[]) => Generator<unknown[]>, string[], number, boolean];
interface NativeDb {
  table(factory: RawFactory, name: string, eponymous: boolean): void;
}

/** A value as SQLite returns it with safe integers on. */
export type SqlValue = string | number | bigint | Buffer | null;

export interface EngineOptions {
  /** Implemented tables; each must have a spec. */
  readonly tables: readonly TableImpl[];
  /** osquery's specs (every Linux table); only implemented ones become SQL tables. */
  readonly specs: readonly TableSpec[];
}

export interface QueryOptions {
  readonly signal?: AbortSignal;
  /** A row or source that could not be read; called once per distinct message. */
  readonly onWarning?: (message: string) => void;
  /**
   * Polled between generated rows: returning true cancels the query like an aborted signal. The shell's
   * query worker uses it to read a cancel flag that its parent sets through shared memory.
   */
  readonly isCancelled?: () => boolean;
}

/** A running query: column names in SELECT order, then rows streamed from SQLite. */
export interface QueryCursor extends Iterable<SqlValue[]> {
  readonly columns: readonly string[];
  /** Stops the query early and releases its virtual tables. Safe to call twice. */
  close(): void;
}

/** Counters that prove constraint pushdown in tests and the benchmark. */
export interface ScanStats {
  /** Generator calls (xFilter) per table. */
  readonly scans: Map<string, number>;
  /** Rows generators produced per table, before SQLite's own filtering. */
  readonly rowsRead: Map<string, number>;
}

/** Per-table variant after demotion: how many leading parameters remain, and literals read from the SQL text. */
interface Variant {
  readonly paramCount: number;
  readonly equals: Record<string, string[]>;
  readonly like: Record<string, string[]>;
}

interface QueryState {
  readonly signal: AbortSignal;
  readonly isCancelled: () => boolean;
  readonly warn: (message: string, cause?: unknown) => void;
  /** Rows of scans already done in this query, replayed when a join scans the same table again. */
  readonly replay: Map<string, unknown[][] | null>;
}

const REPLAY_LIMIT = 5_000;
const noSignal = new AbortController().signal;

const INTEGER_TYPES = new Set(['INTEGER', 'BIGINT', 'UNSIGNED_BIGINT']);

/**
 * A generated value as SQLite should store it. better-sqlite3 passes every JS number as a REAL, and a virtual
 * table applies no column affinity, so integers become BigInt and numeric text in numeric columns becomes a
 * number: `WHERE pid = 1` and `uid > 0` then compare as osquery's typed columns do.
 */
function toSql(v: unknown, type: string): CellValue {
  if (v === undefined || v === null) return null;
  if (INTEGER_TYPES.has(type)) {
    if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
    if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
    if (typeof v === 'boolean') return v ? 1n : 0n;
  } else if (type === 'DOUBLE') {
    if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
    if (typeof v === 'bigint') return Number(v);
  }
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return String(v);
}

/** SQLite's `=` between a generated value and a forwarded argument, as loose as column affinity makes it. */
function sameValue(value: unknown, arg: unknown, nocase: boolean): boolean {
  if (value === null || value === undefined) return false;
  if (typeof arg === 'bigint' || typeof arg === 'number') {
    const n = typeof value === 'string' ? Number(value.trim()) : Number(value);
    return value !== '' && n === Number(arg);
  }
  const a = String(arg);
  const b = typeof value === 'bigint' || typeof value === 'number' ? String(value) : String(value);
  return nocase ? a.toLowerCase() === b.toLowerCase() : a === b || (b !== '' && !Number.isNaN(Number(b)) && Number(a) === Number(b) && /^-?\d/.test(a));
}

function encodeVariant(v: Variant): string {
  return Buffer.from(JSON.stringify(v)).toString('base64url');
}

function decodeVariant(arg: string | undefined): Variant | undefined {
  if (arg === undefined) return undefined;
  return JSON.parse(Buffer.from(arg.replace(/^'|'$/g, ''), 'base64url').toString('utf8')) as Variant;
}

/**
 * The endpoint SQL engine: an in-memory SQLite database in which every implemented osquery table is an
 * eponymous virtual table whose rows are generated per query, with `=`/`IN` constraints on the leading
 * index columns forwarded to the generator (`WHERE pid = 1` reads one process). When SQLite cannot plan
 * with a parameter column (a LIKE or `>` on it, or two parameter columns joined together), the table is
 * re-created for that query in the temp schema with fewer parameters, and the literal `=`/`IN`/`LIKE`
 * values written in the query text are handed to the generator instead. SQLite re-checks every row.
 *
 * @example
 * const engine = new EndpointEngine({ tables: tableRegistry.list(), specs: tableSpecs });
 * const cursor = engine.query('select pid, name from processes where pid = 1');
 * for (const row of cursor) console.log(row);
 */
export class EndpointEngine {
  readonly db: Database.Database;
  readonly stats: ScanStats = { scans: new Map(), rowsRead: new Map() };
  private readonly layouts = new Map<string, TableLayout>();
  private readonly impls = new Map<string, TableImpl>();
  /** Table and alias names -> implemented table name. */
  private readonly names = new Map<string, string>();
  private state: QueryState | undefined;
  private temps: string[] = [];

  constructor(options: EngineOptions) {
    this.db = new Database(':memory:');
    const specs = new Map(options.specs.map((s) => [s.name, s]));
    const native = (this.db as unknown as Record<symbol, NativeDb>)[cppdb]!;
    for (const impl of options.tables) {
      const spec = specs.get(impl.name);
      if (spec === undefined) throw new AppError('EP_TABLE_FAILED', `table ${impl.name} has an implementation but no spec in specs/`);
      const layout = layoutOf(spec);
      this.layouts.set(impl.name, layout);
      this.impls.set(impl.name, impl);
      const factory: RawFactory = (_module, _db, _table, ...args) => {
        const variant = decodeVariant(args[0]);
        const paramCount = variant?.paramCount ?? layout.paramCount;
        return [
          declareSql(layout),
          this.rowsFunction(impl, layout, variant),
          layout.columns.slice(0, paramCount).map((c) => c.name),
          1,
          false,
        ];
      };
      for (const name of [impl.name, ...(spec.aliases ?? [])]) {
        native.table(factory, name, true);
        this.names.set(name, impl.name);
      }
      native.table(factory, `vigil_${impl.name}`, false);
    }
  }

  /** Names of the SQL tables (implemented tables and their osquery aliases), sorted. */
  tableNames(): string[] {
    return [...this.names.keys()].sort();
  }

  /** osquery-style CREATE TABLE text for one table, or undefined when there is no such table. */
  schema(name: string): string | undefined {
    const real = this.names.get(name);
    if (real === undefined) return undefined;
    return schemaSql(this.layouts.get(real)!.spec, name);
  }

  /** Visible column names of a table, in order (what `SELECT *` returns). */
  visibleColumns(name: string): string[] | undefined {
    const real = this.names.get(name);
    return real === undefined ? undefined : this.layouts.get(real)!.columns.filter((c) => !c.hidden).map((c) => c.name);
  }

  /**
   * Prepares and starts a query. Throws AppError EP_SQL with SQLite's message for bad SQL; rows are then
   * generated lazily while the cursor is iterated, so a huge result never sits in memory.
   */
  query(sql: string, options: QueryOptions = {}): QueryCursor {
    this.finishQuery();
    const warned = new Set<string>();
    const signal = options.signal ?? noSignal;
    const state: QueryState = {
      signal,
      isCancelled: options.isCancelled ?? (() => false),
      replay: new Map(),
      warn: (message) => {
        if (warned.has(message)) return;
        warned.add(message);
        options.onWarning?.(message);
      },
    };
    this.state = state;
    let stmt: Database.Statement;
    try {
      stmt = this.prepare(sql);
    } catch (e) {
      this.finishQuery();
      throw e;
    }
    // Like osquery (its SQLite authorizer), queries only read: no writes to files through ATTACH, VACUUM INTO
    // or a table in an attached database.
    const first = tokenize(sql).find((t) => t.kind === 'word')?.value;
    if (!stmt.readonly || first === 'attach' || first === 'detach') {
      this.finishQuery();
      throw new AppError('EP_SQL', `only read-only statements are allowed (SELECT, WITH, EXPLAIN, PRAGMA reads): ${sql.trim().slice(0, 80)}`);
    }
    const reader = stmt.reader;
    const columns = reader ? stmt.columns().map((c) => c.name) : [];
    if (reader) {
      stmt.raw(true);
      stmt.safeIntegers(true);
    }
    let iterator: IterableIterator<unknown> | undefined;
    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      try {
        iterator?.return?.();
      } finally {
        // Closing a cursor late must not end the query that started after it.
        if (this.state === state) this.finishQuery();
      }
    };
    const self = this;
    return {
      columns,
      close,
      *[Symbol.iterator]() {
        if (closed) return;
        try {
          if (!reader) {
            self.translate(() => stmt.run());
            return;
          }
          iterator = self.translate(() => stmt.iterate());
          while (true) {
            const next = self.translate(() => iterator!.next());
            if (next.done) break;
            yield next.value as SqlValue[];
          }
        } finally {
          close();
        }
      },
    };
  }

  /** Runs a query to completion and returns rows as objects keyed by column name (tests, small queries). */
  all(sql: string, options: QueryOptions = {}): Record<string, SqlValue>[] {
    const cursor = this.query(sql, options);
    const out: Record<string, SqlValue>[] = [];
    for (const row of cursor) out.push(Object.fromEntries(cursor.columns.map((c, i) => [c, row[i]!])));
    return out;
  }

  close(): void {
    this.finishQuery();
    this.db.close();
  }

  private translate<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw this.appError(e);
    }
  }

  private appError(e: unknown): unknown {
    if (isAppError(e) || isAbortError(e)) return e;
    if (e instanceof Error && (e as { code?: unknown }).code !== undefined && String((e as unknown as { code: unknown }).code).startsWith('SQLITE')) {
      return new AppError('EP_SQL', e.message, { cause: e });
    }
    return e;
  }

  /** Prepares `sql`, demoting parameter columns SQLite cannot plan with until it can (see the class doc). */
  private prepare(original: string): Database.Statement {
    let sql = original;
    let tokens: Token[] | undefined;
    const variants = this.trailingConstraintVariants(original);
    if (variants.size > 0) this.applyVariants(variants);
    const demoteOrder: string[] = [];
    const triedFor = new Map<string, Set<string>>();
    for (let attempt = 0; attempt < 64; attempt++) {
      try {
        return this.db.prepare(sql);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        // osquery's SQLite takes a double-quoted word that names no column as a string (SQLITE_DQS);
        // better-sqlite3 is built without it, so do what SQLite would: retry with a single-quoted literal.
        const dqs = /^no such column: "(.*)" - should this be a string literal in single-quotes\?$/s.exec(message);
        if (dqs) {
          const quoted = `"${dqs[1]!.replaceAll('"', '""')}"`;
          const literal = `'${dqs[1]!.replaceAll("'", "''")}'`;
          if (sql.includes(quoted)) {
            sql = sql.split(quoted).join(literal);
            tokens = undefined;
            continue;
          }
        }
        tokens ??= tokenize(sql);
        const refs = findTableRefs(tokens, (n) => this.names.has(n));
        const param = /^virtual table parameter "([^"]+)" can only be constrained/.exec(message);
        let changed = false;
        if (param) {
          // Demote the column in one table at a time, the one the query uses with LIKE/>/... first: in
          // `file f JOIN hash h USING (path) WHERE f.path LIKE ...` hash keeps its parameter for the join.
          const column = param[1]!;
          const tried = triedFor.get(column) ?? new Set<string>();
          triedFor.set(column, tried);
          const candidates = refs.filter((ref) => {
            const real = this.names.get(ref.table)!;
            const current = variants.get(ref.table)?.paramCount ?? this.layouts.get(real)!.paramCount;
            return !tried.has(ref.table) && this.layouts.get(real)!.columns.slice(0, current).some((c) => c.name === column);
          });
          const pick = candidates.find((ref) => hasNonEqualityUse(tokens!, column, ref.qualifiers)) ?? candidates[0];
          if (pick) {
            const real = this.names.get(pick.table)!;
            const at = this.layouts.get(real)!.columns.findIndex((c) => c.name === column);
            variants.set(pick.table, this.variantFor(real, at, tokens, pick.qualifiers));
            tried.add(pick.table);
            changed = true;
          }
        } else if (message === 'no query solution') {
          // Two parameter columns joined to each other: let the later table be scanned in full.
          if (demoteOrder.length === 0) {
            const candidates = refs.filter((r) => (variants.get(r.table)?.paramCount ?? this.layouts.get(this.names.get(r.table)!)!.paramCount) > 0);
            const optional = candidates.filter((r) => this.layouts.get(this.names.get(r.table)!)!.required.length === 0).reverse();
            const needed = candidates.filter((r) => !optional.includes(r)).reverse();
            demoteOrder.push(...[...optional, ...needed].map((r) => r.table));
          }
          const next = demoteOrder.shift();
          const ref = refs.find((r) => r.table === next);
          if (ref) {
            variants.set(ref.table, this.variantFor(this.names.get(ref.table)!, 0, tokens, ref.qualifiers));
            changed = true;
          }
        }
        if (!changed) throw this.appError(e);
        this.applyVariants(variants);
      }
    }
    throw new AppError('EP_SQL', `could not plan the query: ${sql}`);
  }

  /**
   * Index, required and additional columns that do not lead the spec (python_packages.directory,
   * yara_file.sigrule...) cannot be SQLite parameters; osquery still hands their `=`/`IN`/`LIKE`
   * constraints to the table. Read literal ones from the query text — only when the query has no OR
   * and no NOT, where a literal in the text need not hold for every row (SQLite re-checks each row).
   */
  private trailingConstraintVariants(sql: string): Map<string, Variant> {
    const variants = new Map<string, Variant>();
    const tokens = tokenize(sql);
    if (tokens.some((t) => t.kind === 'word' && (t.value === 'or' || t.value === 'not'))) return variants;
    for (const ref of findTableRefs(tokens, (n) => this.names.has(n))) {
      const real = this.names.get(ref.table)!;
      const layout = this.layouts.get(real)!;
      const trailing = layout.spec.columns
        .slice(layout.paramCount)
        .filter((c) => c.index === true || c.required === true || c.additional === true);
      if (trailing.length === 0) continue;
      const variant = this.variantFor(real, layout.paramCount, tokens, ref.qualifiers, trailing.map((c) => c.name));
      if (Object.keys(variant.equals).length > 0 || Object.keys(variant.like).length > 0) variants.set(ref.table, variant);
    }
    return variants;
  }

  private variantFor(
    table: string,
    paramCount: number,
    tokens: readonly Token[],
    qualifiers: ReadonlySet<string>,
    trailing: readonly string[] = [],
  ): Variant {
    const layout = this.layouts.get(table)!;
    const equals: Record<string, string[]> = {};
    const like: Record<string, string[]> = {};
    const extra = layout.columns.filter((c) => trailing.includes(c.name));
    for (const c of [...layout.columns.slice(paramCount, layout.paramCount), ...extra]) {
      const found = literalConstraints(tokens, c.name, qualifiers);
      if (found.equals.length > 0) equals[c.name] = found.equals;
      if (found.like.length > 0) like[c.name] = found.like;
    }
    return { paramCount, equals, like };
  }

  private applyVariants(variants: ReadonlyMap<string, Variant>): void {
    this.dropTemps();
    for (const [name, variant] of variants) {
      const real = this.names.get(name)!;
      this.db.exec(`CREATE VIRTUAL TABLE temp."${name}" USING "vigil_${real}"('${encodeVariant(variant)}')`);
      this.temps.push(name);
    }
  }

  private dropTemps(): void {
    for (const name of this.temps) this.db.exec(`DROP TABLE IF EXISTS temp."${name}"`);
    this.temps = [];
  }

  private finishQuery(): void {
    this.state = undefined;
    if (this.temps.length > 0 && this.db.open) this.dropTemps();
  }

  /** The generator SQLite calls on each scan (xFilter) of one table. */
  private rowsFunction(impl: TableImpl, layout: TableLayout, variant: Variant | undefined): (...args: unknown[]) => Generator<unknown[]> {
    const engine = this;
    const paramCount = variant?.paramCount ?? layout.paramCount;
    const columns = layout.columns;
    const lazy = new Set(impl.lazyColumns ?? []);
    return function* scan(...args: unknown[]): Generator<unknown[]> {
      const state = engine.state;
      if (state === undefined) return;
      const constraints = new Map<string, string[]>();
      for (let i = 0; i < paramCount; i++) {
        const a = args[i];
        if (a !== undefined && a !== null) constraints.set(columns[i]!.name, [Buffer.isBuffer(a) ? a.toString('utf8') : String(a)]);
      }
      for (const [c, values] of Object.entries(variant?.equals ?? {})) constraints.set(c, values);
      const likes = new Map(Object.entries(variant?.like ?? {}));
      if (layout.required.length > 0 && !layout.required.some((c) => constraints.has(c) || likes.has(c))) {
        throw new AppError(
          'EP_REQUIRED_CONSTRAINT',
          `table ${impl.name} needs a constraint on ${layout.required.join(' or ')} in the WHERE clause (=, IN or LIKE with a literal)${
            layout.required[0] === 'path' ? ", e.g. WHERE path = '/etc/passwd'" : ''
          }`,
        );
      }
      const key = `${impl.name}\u0000${paramCount}\u0000${JSON.stringify(args, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}\u0000${JSON.stringify(variant ?? null)}`;
      const replayed = state.replay.get(key);
      if (replayed) {
        yield* replayed;
        return;
      }
      const recorded: unknown[][] | null = state.replay.has(key) ? null : [];
      engine.stats.scans.set(impl.name, (engine.stats.scans.get(impl.name) ?? 0) + 1);
      const ctx: QueryContext = {
        constraint: (c) => constraints.get(c),
        like: (c) => likes.get(c),
        warn: state.warn,
        signal: state.signal,
      };
      let recording = recorded;
      let read = 0;
      let complete = false;
      try {
        for (const row of impl.generate(ctx)) {
          state.signal.throwIfAborted();
          if (state.isCancelled()) throw new DOMException('the query was cancelled', 'AbortError');
          read++;
          const out = toArray(row, columns, lazy);
          let keep = true;
          for (let i = 0; i < paramCount && keep; i++) {
            const a = args[i];
            if (a !== undefined && a !== null) keep = sameValue(out[i], Buffer.isBuffer(a) ? a.toString('utf8') : a, columns[i]!.collate === 'nocase');
          }
          if (!keep) continue;
          if (recording) {
            if (recording.length < REPLAY_LIMIT && lazy.size === 0) recording.push(out);
            else recording = null;
          }
          yield out;
        }
        complete = true;
      } catch (e) {
        if (isAppError(e) || isAbortError(e)) throw e;
        throw new AppError('EP_TABLE_FAILED', `table ${impl.name} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      } finally {
        engine.stats.rowsRead.set(impl.name, (engine.stats.rowsRead.get(impl.name) ?? 0) + read);
        // Only a scan that ran to the end can be replayed; a second scan of the same key then costs nothing.
        state.replay.set(key, complete && recording ? recording : null);
      }
    };
  }

  /** Exposed for `.schema` without arguments. */
  allSchemas(): string[] {
    return this.tableNames().map((n) => this.schema(n)!);
  }
}

function toArray(row: Row, columns: TableLayout['columns'], lazy: ReadonlySet<string>): unknown[] {
  const out: unknown[] = new Array(columns.length);
  for (let i = 0; i < columns.length; i++) {
    const { source, type } = columns[i]!;
    if (lazy.has(source)) {
      // SQLite asks for a column only when the query uses it: compute expensive values on demand.
      Object.defineProperty(out, i, { get: () => toSql(row[source], type), enumerable: true, configurable: true });
    } else {
      out[i] = toSql(row[source], type);
    }
  }
  return out;
}
