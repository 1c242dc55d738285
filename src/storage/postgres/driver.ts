import pg from 'pg';
import { AppError } from '../../core/errors.js';
import { yieldToLoop, type OperationOptions } from '../../core/abort.js';
import type { AppliedMigration, MigrationSet, Queryable, Row, SqlValue, Store } from '../types.js';
import { MIGRATIONS_TABLE, validateMigrationSet } from '../migrations.js';
import { Mutex } from '../mutex.js';

const BATCH_YIELD_ROWS = 2000;

/** Rewrites `?` placeholders to `$1..$n`, leaving quoted strings, identifiers and comments alone. */
export function toPgPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      const stop = end < 0 ? sql.length : end;
      out += sql.slice(i, stop + 1);
      i = stop;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length - 1 : end;
      out += sql.slice(i, stop + 1);
      i = stop;
    } else if (c === '?') {
      out += `$${++n}`;
    } else {
      out += c;
    }
  }
  return out;
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres (unparsable URL)';
  }
}

function bind(params: readonly SqlValue[] | undefined): unknown[] {
  if (params === undefined) return [];
  return params.map((p) => (p instanceof Uint8Array && !Buffer.isBuffer(p) ? Buffer.from(p) : p));
}

// BIGINT and COUNT(*) come back as numbers when they fit, as on SQLite.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20) {
      return (v: string) => {
        const n = Number(v);
        return Number.isSafeInteger(n) ? n : BigInt(v);
      };
    }
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

interface Client {
  query(text: string, values?: unknown[]): Promise<pg.QueryResult>;
}

class PgQueryable implements Queryable {
  readonly dialect = 'postgres' as const;

  constructor(
    protected readonly client: Client,
    readonly location: string,
  ) {}

  protected async exec(sql: string, params?: readonly SqlValue[]): Promise<pg.QueryResult> {
    try {
      return await this.client.query(toPgPlaceholders(sql), bind(params));
    } catch (cause) {
      throw new AppError('STORE_QUERY', `PostgreSQL ${this.location}: ${(cause as Error).message}`, {
        cause,
        details: { sql: sql.slice(0, 200) },
      });
    }
  }

  async all<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return (await this.exec(sql, params)).rows as T[];
  }

  async get<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return (await this.exec(sql, params)).rows[0] as T | undefined;
  }

  async run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }> {
    return { changes: (await this.exec(sql, params)).rowCount ?? 0 };
  }

  async runMany(sql: string, rows: Iterable<readonly SqlValue[]>, options: OperationOptions = {}): Promise<{ changes: number }> {
    const insert = MULTI_ROW_INSERT.exec(sql);
    let changes = 0;
    let n = 0;
    let chunk: (readonly SqlValue[])[] = [];
    const flush = async (): Promise<void> => {
      if (chunk.length === 0) return;
      if (insert && chunk.length > 1) {
        const text = insert[1] + Array(chunk.length).fill(insert[2]).join(', ') + insert[3];
        changes += (await this.exec(text, chunk.flat())).rowCount ?? 0;
      } else {
        for (const row of chunk) changes += (await this.exec(sql, row)).rowCount ?? 0;
      }
      chunk = [];
    };
    // One round trip per chunk: multi-row VALUES for plain INSERTs (PostgreSQL allows 65535 parameters).
    const perChunk = insert ? Math.max(1, Math.min(1000, Math.floor(60_000 / Math.max(1, insert[2]!.split('?').length - 1)))) : 1;
    for (const row of rows) {
      chunk.push(row);
      if (chunk.length >= perChunk) await flush();
      if (++n % BATCH_YIELD_ROWS === 0) {
        options.onProgress?.({ phase: 'write', done: n, unit: 'rows' });
        await yieldToLoop();
        options.signal?.throwIfAborted();
      }
    }
    await flush();
    return { changes };
  }
}

/** `INSERT INTO t (...) VALUES (?, ?) [ON CONFLICT ...]`: split so the VALUES group can repeat. */
const MULTI_ROW_INSERT = /^(\s*INSERT\s+INTO\s+[\s\S]+?\s+VALUES\s*)(\([^()]*\))(\s*(?:ON\s+CONFLICT[\s\S]*)?)$/i;

class PgStore extends PgQueryable implements Store {
  /** Transactions of one store run one at a time, as on SQLite; other processes are isolated by PostgreSQL. */
  private readonly mutex = new Mutex();

  constructor(
    private readonly pool: pg.Pool,
    location: string,
  ) {
    super(pool, location);
  }

  override runMany(sql: string, rows: Iterable<readonly SqlValue[]>, options: OperationOptions = {}): Promise<{ changes: number }> {
    return this.transaction((tx) => tx.runMany(sql, rows, options), options);
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>, options: { signal?: AbortSignal } = {}): Promise<T> {
    return this.mutex.run(() => this.inTransaction(fn, options));
  }

  private async inTransaction<T>(fn: (tx: Queryable) => Promise<T>, options: { signal?: AbortSignal }): Promise<T> {
    options.signal?.throwIfAborted();
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (cause) {
      throw new AppError('STORE_OPEN', `cannot connect to PostgreSQL ${this.location}: ${(cause as Error).message}`, { cause });
    }
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await fn(new PgQueryable(client, this.location));
      options.signal?.throwIfAborted();
      await client.query('COMMIT');
      return result;
    } catch (e) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true; // the connection is gone; the server rolls back on its own
      }
      throw e;
    } finally {
      client.release(broken);
    }
  }

  async migrate(set: MigrationSet): Promise<{ applied: number[] }> {
    validateMigrationSet(set);
    await this.run(
      `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (namespace TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (namespace, version))`,
    ).catch(async (e: unknown) => {
      // two processes creating the table at once: one loses the race on the catalog; the table exists
      const exists = await this.get(`SELECT to_regclass(?) AS t`, [MIGRATIONS_TABLE]);
      if (!exists || exists.t === null) throw e;
    });
    const applied: number[] = [];
    for (const m of set.migrations) {
      await this.transaction(async (tx) => {
        await tx.run(`SELECT pg_advisory_xact_lock(hashtext(?))`, [`${MIGRATIONS_TABLE}:${set.namespace}`]);
        const done = await tx.get(`SELECT 1 FROM ${MIGRATIONS_TABLE} WHERE namespace = ? AND version = ?`, [set.namespace, m.version]);
        if (done !== undefined) return;
        try {
          await tx.run(m.postgres);
        } catch (cause) {
          throw new AppError(
            'STORE_MIGRATION',
            `PostgreSQL ${this.location}: migration ${set.namespace} ${m.version} (${m.name}) failed: ${(cause as Error).message}`,
            { cause, details: { namespace: set.namespace, version: m.version } },
          );
        }
        await tx.run(`INSERT INTO ${MIGRATIONS_TABLE} (namespace, version, name, applied_at) VALUES (?, ?, ?, ?)`, [
          set.namespace,
          m.version,
          m.name,
          new Date().toISOString(),
        ]);
        applied.push(m.version);
      });
    }
    return { applied };
  }

  async appliedMigrations(namespace: string): Promise<AppliedMigration[]> {
    const exists = await this.get<{ t: string | null }>(`SELECT to_regclass(?) AS t`, [MIGRATIONS_TABLE]);
    if (!exists || exists.t === null) return [];
    return this.all<AppliedMigration>(
      `SELECT namespace, version, name, applied_at AS "appliedAt" FROM ${MIGRATIONS_TABLE} WHERE namespace = ? ORDER BY version`,
      [namespace],
    );
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * Connects to PostgreSQL and checks the connection once, so a wrong URL fails here, clearly.
 *
 * @example
 * const store = await openPostgresStore('postgres://vigil@127.0.0.1:5432/vigil');
 */
export async function openPostgresStore(url: string): Promise<Store> {
  const location = redact(url);
  const pool = new pg.Pool({ connectionString: url, max: 4, types, connectionTimeoutMillis: 10_000 });
  pool.on('error', () => undefined); // idle client errors surface on the next query
  try {
    await pool.query('SELECT 1');
  } catch (cause) {
    await pool.end().catch(() => undefined);
    throw new AppError('STORE_OPEN', `cannot connect to PostgreSQL ${location}: ${(cause as Error).message}`, { cause, details: { url: location } });
  }
  return new PgStore(pool, location);
}
