import type { QueryContext, Row, TableImpl } from '../../types.js';

/** Options for {@link createTestContext}: the constraints a test query would push down. */
export interface TestContextOptions {
  /** Values pinned with `=`/`IN` per column, e.g. `{ pid: ['1'] }`. */
  readonly constraints?: Readonly<Record<string, readonly string[]>>;
  /** LIKE patterns per column. */
  readonly like?: Readonly<Record<string, readonly string[]>>;
  readonly signal?: AbortSignal;
}

/** A QueryContext for tests, which also records the warnings a generator reports. */
export interface TestContext extends QueryContext {
  readonly warnings: { message: string; cause?: unknown }[];
}

/**
 * Builds a QueryContext for calling a table's `generate()` directly in tests, without the SQL engine.
 *
 * @example
 * const ctx = createTestContext({ constraints: { pid: [String(process.pid)] } });
 * const rows = [...processes.generate(ctx)];
 */
export function createTestContext(options: TestContextOptions = {}): TestContext {
  const warnings: { message: string; cause?: unknown }[] = [];
  return {
    warnings,
    constraint: (column) => options.constraints?.[column],
    like: (column) => options.like?.[column],
    warn: (message, cause) => {
      warnings.push({ message, cause });
    },
    signal: options.signal ?? new AbortController().signal,
  };
}

/**
 * Runs a table with a test context and returns all its rows.
 *
 * @example
 * const rows = collectRows(etcHosts);
 */
export function collectRows(table: TableImpl, options: TestContextOptions = {}): Row[] {
  return [...table.generate(createTestContext(options))];
}
