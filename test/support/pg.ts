import pg from 'pg';

/**
 * PostgreSQL for tests: `VIGIL_TEST_PG_URL` (CI always sets it; scripts/ci-postgres.sh prints one).
 * Each suite gets its own schema so suites can run in parallel on one database.
 */
export const pgUrl: string | undefined = process.env.VIGIL_TEST_PG_URL || undefined;

/** Why a PostgreSQL test must skip, or undefined when a server is configured. */
export const pgMissing: string | undefined = pgUrl
  ? undefined
  : 'skipped: VIGIL_TEST_PG_URL is not set (run scripts/ci-postgres.sh as root and export its output)';

/**
 * Creates a fresh schema and returns a URL whose connections use it, plus a cleanup that drops it.
 *
 * @example
 * const { url, drop } = await createPgSchema('storage');
 */
export async function createPgSchema(prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!pgUrl) throw new Error(pgMissing);
  const schema = `t_${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`.toLowerCase();
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const u = new URL(pgUrl);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
}
