import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeStoreConformance } from '../conformance.case.js';
import { openSqliteStore } from './driver.js';

describeStoreConformance({
  name: 'SQLite',
  async fresh() {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-store-'));
    const path = join(dir, 'test.db');
    return {
      store: openSqliteStore(path),
      reopen: async () => openSqliteStore(path),
      spec: path,
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
});

describe('SQLite driver', () => {
  it('opens an in-memory database', async () => {
    const store = openSqliteStore(':memory:');
    expect(await store.get('SELECT 1 AS one')).toEqual({ one: 1 });
    await store.close();
  });

  it('uses the WAL journal for files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-store-'));
    const store = openSqliteStore(join(dir, 'wal.db'));
    expect(await store.get('PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' });
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails with STORE_OPEN naming the path when the directory does not exist', () => {
    expect(() => openSqliteStore('/nonexistent-dir/x/y.db')).toThrow(/cannot open SQLite database \/nonexistent-dir\/x\/y.db/);
  });

  it('fails with STORE_CLOSED after close', async () => {
    const store = openSqliteStore(':memory:');
    await store.close();
    await expect(store.all('SELECT 1')).rejects.toMatchObject({ code: 'STORE_CLOSED' });
  });
});
