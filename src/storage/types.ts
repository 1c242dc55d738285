/** Store types shared by both drivers and every engine. */
import type { OperationOptions } from '../core/abort.js';

export type SqlValue = string | number | bigint | boolean | null | Uint8Array;
export type Row = Record<string, unknown>;
export type Dialect = 'sqlite' | 'postgres';

/** One numbered schema change, written once per dialect. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sqlite: string;
  readonly postgres: string;
}

/** The migrations of one owner (core, image engine, ...), applied in version order. */
export interface MigrationSet {
  readonly namespace: string;
  readonly migrations: readonly Migration[];
}

export interface AppliedMigration {
  readonly namespace: string;
  readonly version: number;
  readonly name: string;
  readonly appliedAt: string;
}

/** Statements that can run on the store or inside one of its transactions. */
export interface Queryable {
  readonly dialect: Dialect;
  all<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
  /**
   * Runs one statement once per row of parameters. On the store itself the whole batch is one
   * transaction: a crash midway leaves none of it. Inside `transaction()` it joins that transaction.
   */
  runMany(sql: string, rows: Iterable<readonly SqlValue[]>, options?: OperationOptions): Promise<{ changes: number }>;
}

export interface Store extends Queryable {
  /** Where the data lives: a file path, ':memory:' or a PostgreSQL URL without password. */
  readonly location: string;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws or the
   * signal aborts. Transactions on one store are serialised.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: { signal?: AbortSignal }): Promise<T>;
  /** Applies the set's pending migrations, each in its own transaction, in version order. */
  migrate(set: MigrationSet): Promise<{ applied: number[] }>;
  appliedMigrations(namespace: string): Promise<AppliedMigration[]>;
  close(): Promise<void>;
}

/** How to open a store; see `openStore` in open.ts. */
export type StoreSpec = { readonly driver: 'sqlite'; readonly path: string } | { readonly driver: 'postgres'; readonly url: string };

