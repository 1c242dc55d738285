/**
 * The storage conformance suite: one set of behaviours every driver must show. Run by
 * sqlite/driver.test.ts and postgres/driver.int.test.ts (the Hono common.case.test.ts pattern).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../core/errors.js';
import type { MigrationSet, Store } from './types.js';

export interface DriverHarness {
  readonly name: string;
  /** Opens a store on a fresh, empty database; `reopen` opens the same one again. */
  fresh(): Promise<{ store: Store; reopen: () => Promise<Store>; spec: string; cleanup: () => Promise<void> }>;
}

const childScript = fileURLToPath(new URL('../../test/support/store-child.ts', import.meta.url));

const sql = (sqlite: string, postgres = sqlite) => ({ sqlite, postgres });

const testMigrations: MigrationSet = {
  namespace: 'conformance',
  migrations: [
    { version: 1, name: 'items', ...sql('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, size INTEGER, data BLOB)', 'CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, size BIGINT, data BYTEA)') },
    { version: 2, name: 'items size index', ...sql('CREATE INDEX items_size ON items (size)') },
  ],
};

/** Runs the child helper and kills it with SIGKILL once `killWhen` matches its stdout. */
function runAndKill(args: string[], killWhen: RegExp, delayMs = 0): Promise<{ killed: boolean; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', childScript, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let killed = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!killed && killWhen.test(out)) {
        killed = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', () => resolve({ killed, out, err }));
  });
}

export function describeStoreConformance(harness: DriverHarness, skip?: string): void {
  describe.skipIf(skip !== undefined)(`Store conformance: ${harness.name}`, () => {
    let store: Store;
    let reopen: () => Promise<Store>;
    let spec: string;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, reopen, spec, cleanup } = await harness.fresh());
    });
    afterEach(async () => {
      await store.close().catch(() => undefined);
      await cleanup();
    });

    it('applies migrations in order once and records them', async () => {
      expect((await store.migrate(testMigrations)).applied).toEqual([1, 2]);
      expect((await store.migrate(testMigrations)).applied).toEqual([]);
      const applied = await store.appliedMigrations('conformance');
      expect(applied.map((m) => [m.version, m.name])).toEqual([
        [1, 'items'],
        [2, 'items size index'],
      ]);
      await store.close();
      store = await reopen();
      expect((await store.migrate(testMigrations)).applied).toEqual([]);
    });

    it('applies only the new migrations when a set grows', async () => {
      await store.migrate({ namespace: 'conformance', migrations: testMigrations.migrations.slice(0, 1) });
      expect((await store.migrate(testMigrations)).applied).toEqual([2]);
    });

    it('rolls back a failing migration completely and keeps earlier ones', async () => {
      await store.migrate(testMigrations);
      const bad: MigrationSet = {
        namespace: 'conformance',
        migrations: [
          ...testMigrations.migrations,
          { version: 3, name: 'half bad', ...sql('CREATE TABLE extra (x INTEGER); CREATE TABLE broken (;') },
        ],
      };
      const e = await store.migrate(bad).catch((x: unknown) => x);
      expect(isAppError(e) && e.code).toBe('STORE_MIGRATION');
      expect((await store.appliedMigrations('conformance')).map((m) => m.version)).toEqual([1, 2]);
      // the first statement of the failed migration left nothing behind
      await expect(store.all('SELECT * FROM extra')).rejects.toMatchObject({ code: 'STORE_QUERY' });
    });

    it('keeps namespaces apart', async () => {
      await store.migrate(testMigrations);
      await store.migrate({ namespace: 'other', migrations: [{ version: 1, name: 'other', ...sql('CREATE TABLE other_t (x INTEGER)') }] });
      expect((await store.appliedMigrations('other')).length).toBe(1);
      expect((await store.appliedMigrations('conformance')).length).toBe(2);
    });

    it('binds parameters and round-trips text, integers, null and bytes', async () => {
      await store.migrate(testMigrations);
      const blob = new Uint8Array([0, 1, 2, 255]);
      await store.run('INSERT INTO items (id, name, size, data) VALUES (?, ?, ?, ?)', [1, "it's ?", 2 ** 40, blob]);
      await store.run('INSERT INTO items (id, name, size, data) VALUES (?, ?, ?, ?)', [2, 'two', null, null]);
      const rows = await store.all<{ id: number; name: string; size: number | null; data: Uint8Array | null }>(
        "SELECT id, name, size, data FROM items WHERE name <> '?' ORDER BY id",
      );
      expect(rows.map((r) => [r.id, r.name, r.size])).toEqual([
        [1, "it's ?", 2 ** 40],
        [2, 'two', null],
      ]);
      expect(Array.from(rows[0]!.data!)).toEqual([0, 1, 2, 255]);
      const count = await store.get<{ n: number }>('SELECT COUNT(*) AS n FROM items');
      expect(count?.n).toBe(2);
      expect(await store.get('SELECT * FROM items WHERE id = ?', [99])).toBeUndefined();
      expect((await store.run('UPDATE items SET size = ? WHERE id > ?', [5, 0])).changes).toBe(2);
    });

    it('reports a bad statement as STORE_QUERY naming the database', async () => {
      const e = await store.all('SELECT * FROM no_such_table').catch((x: unknown) => x);
      expect(isAppError(e) && e.code).toBe('STORE_QUERY');
      expect((e as Error).message).toMatch(/no_such_table/);
    });

    it('commits a transaction that resolves and rolls back one that throws', async () => {
      await store.migrate(testMigrations);
      await store.transaction(async (tx) => {
        await tx.run('INSERT INTO items (id, name) VALUES (?, ?)', [1, 'a']);
        await tx.run('INSERT INTO items (id, name) VALUES (?, ?)', [2, 'b']);
      });
      await expect(
        store.transaction(async (tx) => {
          await tx.run('INSERT INTO items (id, name) VALUES (?, ?)', [3, 'c']);
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect((await store.all('SELECT name FROM items ORDER BY id')).map((r) => r.name)).toEqual(['a', 'b']);
    });

    it('rolls back a transaction whose signal aborts', async () => {
      await store.migrate(testMigrations);
      const ac = new AbortController();
      await expect(
        store.transaction(
          async (tx) => {
            await tx.run('INSERT INTO items (id, name) VALUES (?, ?)', [1, 'a']);
            ac.abort();
          },
          { signal: ac.signal },
        ),
      ).rejects.toMatchObject({ name: 'AbortError' });
      expect(await store.all('SELECT * FROM items')).toEqual([]);
    });

    it('writes a batch all or nothing', async () => {
      await store.migrate(testMigrations);
      const rows = Array.from({ length: 12_000 }, (_, i) => [i + 1, `n${i}`] as const);
      expect((await store.runMany('INSERT INTO items (id, name) VALUES (?, ?)', rows)).changes).toBe(12_000);
      const dup = [[20_001, 'fresh'], [20_002, 'n5']] as const; // the second violates UNIQUE(name)
      await expect(store.runMany('INSERT INTO items (id, name) VALUES (?, ?)', dup)).rejects.toMatchObject({ code: 'STORE_QUERY' });
      expect((await store.get<{ n: number }>('SELECT COUNT(*) AS n FROM items'))?.n).toBe(12_000);
    });

    it('serialises concurrent transactions', async () => {
      await store.migrate(testMigrations);
      await store.run('INSERT INTO items (id, name, size) VALUES (1, ?, 0)', ['counter']);
      await Promise.all(
        Array.from({ length: 8 }, () =>
          store.transaction(async (tx) => {
            const row = await tx.get<{ size: number }>('SELECT size FROM items WHERE id = 1');
            await new Promise((r) => setTimeout(r, 5));
            await tx.run('UPDATE items SET size = ? WHERE id = 1', [row!.size + 1]);
          }),
        ),
      );
      expect((await store.get<{ size: number }>('SELECT size FROM items WHERE id = 1'))?.size).toBe(8);
    }, 30_000);

    it('leaves no trace of a batch when the process is killed midway', async () => {
      await store.migrate(testMigrations);
      await store.run('INSERT INTO items (id, name) VALUES (?, ?)', [1, 'kept']);
      await store.close();
      const r = await runAndKill(['batch', spec], /progress/);
      expect(r.killed, r.err).toBe(true);
      store = await reopen();
      expect((await store.all('SELECT name FROM items')).map((x) => x.name)).toEqual(['kept']);
    }, 60_000);

    it('leaves no half-applied migration when the process is killed midway', async () => {
      await store.close();
      const r = await runAndKill(['migrate', spec], /migrating/, 800);
      expect(r.killed, r.err).toBe(true);
      store = await reopen();
      expect(await store.appliedMigrations('crash')).toEqual([]);
      await expect(store.all('SELECT * FROM crash_first')).rejects.toMatchObject({ code: 'STORE_QUERY' });
    }, 60_000);
  });
}
