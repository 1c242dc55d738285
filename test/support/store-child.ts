/**
 * Child process for the storage crash tests: opens a store, starts a long batch or migration,
 * and is SIGKILLed by the parent midway. Usage: store-child.ts batch|migrate SPEC
 */
import { openStore, parseStoreUrl } from '../../src/storage/open.js';

const [mode, spec] = process.argv.slice(2);
const store = await openStore(parseStoreUrl(spec!));

if (mode === 'batch') {
  function* rows() {
    for (let i = 0; i < 50_000_000; i++) yield [i + 100, `row${i}`] as const;
  }
  await store.runMany('INSERT INTO items (id, name) VALUES (?, ?)', rows(), {
    onProgress: () => process.stdout.write('progress\n'),
  });
  process.stdout.write('finished\n');
} else if (mode === 'migrate') {
  const slow =
    store.dialect === 'sqlite'
      ? 'CREATE TABLE crash_first (x INTEGER); CREATE TABLE crash_big (x INTEGER); WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000000) INSERT INTO crash_big SELECT x FROM c;'
      : 'CREATE TABLE crash_first (x INTEGER); SELECT pg_sleep(3);';
  process.stdout.write('migrating\n');
  await store.migrate({ namespace: 'crash', migrations: [{ version: 1, name: 'slow', sqlite: slow, postgres: slow }] });
  process.stdout.write('finished\n');
}
await store.close();
