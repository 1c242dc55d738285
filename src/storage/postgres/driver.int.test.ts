import { describe, expect, it } from 'vitest';
import { createPgSchema, pgMissing } from '../../../test/support/pg.js';
import { describeStoreConformance } from '../conformance.case.js';
import { openPostgresStore, toPgPlaceholders } from './driver.js';

if (pgMissing) console.warn(`PostgreSQL storage suite ${pgMissing}`);

describeStoreConformance(
  {
    name: 'PostgreSQL',
    async fresh() {
      const { url, drop } = await createPgSchema('store');
      return { store: await openPostgresStore(url), reopen: () => openPostgresStore(url), spec: url, cleanup: drop };
    },
  },
  pgMissing,
);

describe('PostgreSQL driver', () => {
  it('rewrites ? placeholders outside quotes and comments', () => {
    expect(toPgPlaceholders(`SELECT ?, '?', "a?" -- ?\n, ?`)).toBe(`SELECT $1, '?', "a?" -- ?\n, $2`);
  });

  it('fails with STORE_OPEN naming the server without the password', async () => {
    const e = await openPostgresStore('postgres://u:secret@127.0.0.1:1/db').catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'STORE_OPEN' });
    expect((e as Error).message).toContain('127.0.0.1:1');
    expect((e as Error).message).not.toContain('secret');
  });
});
