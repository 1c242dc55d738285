import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { AppError } from '../../core/errors.js';
import { yieldToLoop, type OperationOptions } from '../../core/abort.js';
import type { AppliedMigration, MigrationSet, Queryable, Row, SqlValue, Store } from '../types.js';
import { MIGRATIONS_TABLE, validateMigrationSet } from '../migrations.js';
import { Mutex } from '../mutex.js';

const BATCH_YIELD_ROWS = 5000;

/**
 * Opens (creating if needed) a SQLite database with better-sqlite3: WAL journal, foreign keys on,
 * a 5 s busy timeout so that several processes can share one file.
 *
 * @example
 * const store = openSqliteStore(':memory:');
 */
export function openSqliteStore(path: string): Store {
  let db: Db;
  try {
    db = new Database(path);
    if (path !== ':memory:' && path !== '') db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
  } catch (cause) {
    throw new AppError('STORE_OPEN', `cannot open SQLite database ${path}: ${(cause as Error).message}`, { cause, details: { path } });
  }
  return new SqliteStore(db, path);
}

function bind(params: readonly SqlValue[] | undefined): unknown[] {
  if (params === undefined) return [];
  return params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
}

class SqliteQueryable implements Queryable {
  readonly dialect = 'sqlite' as const;
  private readonly cache = new Map<string, Statement>();

  constructor(
    protected readonly db: Db,
    readonly location: string,
  ) {}

  protected prepare(sql: string): Statement {
    let stmt = this.cache.get(sql);
    if (stmt === undefined) {
      stmt = this.wrap(sql, () => this.db.prepare(sql));
      if (this.cache.size > 256) this.cache.clear();
      this.cache.set(sql, stmt);
    }
    return stmt;
  }

  protected wrap<T>(sql: string, fn: () => T): T {
    if (!this.db.open) throw new AppError('STORE_CLOSED', `SQLite database ${this.location} is closed`);
    try {
      return fn();
    } catch (cause) {
      if (cause instanceof AppError) throw cause;
      throw new AppError('STORE_QUERY', `SQLite ${this.location}: ${(cause as Error).message}`, {
        cause,
        details: { sql: sql.slice(0, 200) },
      });
    }
  }

  async all<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    const stmt = this.prepare(sql);
    return this.wrap(sql, () => stmt.all(...bind(params)) as T[]);
  }

  async get<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    const stmt = this.prepare(sql);
    return this.wrap(sql, () => stmt.get(...bind(params)) as T | undefined);
  }

  async run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }> {
    const stmt = this.prepare(sql);
    return this.wrap(sql, () => ({ changes: stmt.run(...bind(params)).changes }));
  }

  async runMany(sql: string, rows: Iterable<readonly SqlValue[]>, options: OperationOptions = {}): Promise<{ changes: number }> {
    const stmt = this.prepare(sql);
    let changes = 0;
    let n = 0;
    for (const row of rows) {
      changes += this.wrap(sql, () => stmt.run(...bind(row)).changes);
      if (++n % BATCH_YIELD_ROWS === 0) {
        options.onProgress?.({ phase: 'write', done: n, unit: 'rows' });
        await yieldToLoop();
        options.signal?.throwIfAborted();
      }
    }
    return { changes };
  }
}

class SqliteStore extends SqliteQueryable implements Store {
  private readonly mutex = new Mutex();
  private readonly tx: SqliteQueryable;

  constructor(db: Db, location: string) {
    super(db, location);
    this.tx = new SqliteQueryable(db, location);
  }

  override all<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.mutex.run(() => super.all<T>(sql, params));
  }

  override get<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return this.mutex.run(() => super.get<T>(sql, params));
  }

  override run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }> {
    return this.mutex.run(() => super.run(sql, params));
  }

  override runMany(sql: string, rows: Iterable<readonly SqlValue[]>, options: OperationOptions = {}): Promise<{ changes: number }> {
    return this.transaction((tx) => tx.runMany(sql, rows, options), options);
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>, options: { signal?: AbortSignal } = {}): Promise<T> {
    return this.mutex.run(() => this.inTransaction(fn, options.signal));
  }

  private async inTransaction<T>(fn: (tx: Queryable) => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    signal?.throwIfAborted();
    this.wrap('BEGIN IMMEDIATE', () => this.db.exec('BEGIN IMMEDIATE'));
    try {
      const result = await fn(this.tx);
      signal?.throwIfAborted();
      this.wrap('COMMIT', () => this.db.exec('COMMIT'));
      return result;
    } catch (e) {
      if (this.db.open && this.db.inTransaction) this.db.exec('ROLLBACK');
      throw e;
    }
  }

  async migrate(set: MigrationSet): Promise<{ applied: number[] }> {
    validateMigrationSet(set);
    return this.mutex.run(async () => {
      this.wrap('migrations table', () =>
        this.db.exec(
          `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (namespace TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (namespace, version))`,
        ),
      );
      const applied: number[] = [];
      for (const m of set.migrations) {
        await this.inTransaction(async () => {
          const done = this.db
            .prepare(`SELECT 1 FROM ${MIGRATIONS_TABLE} WHERE namespace = ? AND version = ?`)
            .get(set.namespace, m.version);
          if (done !== undefined) return;
          try {
            this.db.exec(m.sqlite);
          } catch (cause) {
            throw new AppError(
              'STORE_MIGRATION',
              `SQLite ${this.location}: migration ${set.namespace} ${m.version} (${m.name}) failed: ${(cause as Error).message}`,
              { cause, details: { namespace: set.namespace, version: m.version } },
            );
          }
          this.db
            .prepare(`INSERT INTO ${MIGRATIONS_TABLE} (namespace, version, name, applied_at) VALUES (?, ?, ?, ?)`)
            .run(set.namespace, m.version, m.name, new Date().toISOString());
          applied.push(m.version);
        }, undefined);
      }
      return { applied };
    });
  }

  async appliedMigrations(namespace: string): Promise<AppliedMigration[]> {
    return this.mutex.run(async () => {
      const exists = this.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(MIGRATIONS_TABLE);
      if (exists === undefined) return [];
      return this.db
        .prepare(
          `SELECT namespace, version, name, applied_at AS appliedAt FROM ${MIGRATIONS_TABLE} WHERE namespace = ? ORDER BY version`,
        )
        .all(namespace) as AppliedMigration[];
    });
  }

  async close(): Promise<void> {
    await this.mutex.run(async () => {
      if (this.db.open) this.db.close();
    });
  }
}
