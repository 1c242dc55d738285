import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../storage/open.js';
import type { Store } from '../../../storage/types.js';
import { isAppError } from '../../../core/errors.js';
import { sharedMissing, sharedPath } from '../../../../test/support/shared.js';
import { createPgSchema, pgMissing } from '../../../../test/support/pg.js';
import { dbStatus, importFeedPaths } from './index.js';

const missing = sharedMissing('vulndata');
const tmp = mkdtempSync(join(tmpdir(), 'vigil-store-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const SECDB = () => sharedPath('vulndata', 'alpine', 'secdb-20250104', '3.14', 'main.json');
const GHSA = () => sharedPath('vulndata', 'npm', 'ghsa');
const NVD = () => sharedPath('vulndata', 'nvd', 'vunnel-fixtures', 'full-page.json');

async function counts(store: Store): Promise<Record<string, number>> {
  const s = await dbStatus(store);
  return Object.fromEntries(s.sources.map((x) => [x.name, x.advisories]));
}

/** The same suite on every driver (SQLite always; PostgreSQL when VIGIL_TEST_PG_URL is set). */
function storeSuite(driver: string, open: () => Promise<{ store: Store; close: () => Promise<void> }>): void {
  describe.skipIf(missing)(`vulnerability store on ${driver}`, () => {
    let store: Store;
    let close: () => Promise<void>;
    beforeEach(async () => {
      ({ store, close } = await open());
      return async () => close();
    });

    it('imports real secdb, GHSA and NVD files and reports counts, namespaces and data dates', async () => {
      const r = await importFeedPaths(store, [SECDB(), GHSA(), NVD()]);
      expect(r.problemCount).toBe(0);
      expect(r.advisories.osv).toBe(3);
      expect(r.advisories.nvd).toBe(38);
      expect(r.advisories['alpine-secdb']).toBeGreaterThan(1000);
      const s = await dbStatus(store);
      expect(s.sources.map((x) => x.name)).toEqual(['alpine-secdb', 'nvd', 'osv']);
      const osv = s.sources.find((x) => x.name === 'osv')!;
      // newest "modified" among the three GHSA files (lodash, minimist, semver)
      const dates = ['GHSA-35jh-r3h4-6jhm', 'GHSA-xvch-5gv4-984h', 'GHSA-c2qf-rxjj-qqgw'].map((f) => (JSON.parse(readFileSync(join(GHSA(), `${f}.json`), 'utf8')) as { modified: string }).modified).sort();
      expect(osv.dataDate).toBe(dates[2]);
      expect(s.namespaces.find((n) => n.namespace === 'Alpine:v3.14')?.affected).toBeGreaterThan(1000);
      expect(s.namespaces.find((n) => n.namespace === 'npm')?.affected).toBeGreaterThanOrEqual(3);
    });

    it('skips one bad record, reports its line, and imports the rest', async () => {
      const lines = ['GHSA-35jh-r3h4-6jhm', 'GHSA-xvch-5gv4-984h', 'GHSA-c2qf-rxjj-qqgw'].map((f) => JSON.stringify(JSON.parse(readFileSync(join(GHSA(), `${f}.json`), 'utf8'))));
      lines[1] = lines[1]!.slice(0, 80); // truncated record
      const file = join(tmp, `bad-${driver}.jsonl`);
      writeFileSync(file, `${lines.join('\n')}\n`);
      const r = await importFeedPaths(store, [file]);
      expect(r.advisories.osv).toBe(2);
      expect(r.problemCount).toBe(1);
      expect(r.problems[0]!.origin).toBe(`${file}:2`);
      expect(r.problems[0]!.message).toMatch(/not valid JSON/);
    });

    it('leaves the previous data intact when an import fails midway', async () => {
      await importFeedPaths(store, [SECDB()]);
      const before = await counts(store);
      const dir = join(tmp, `failing-${driver}`);
      mkdirSync(dir, { recursive: true });
      copyFileSync(join(GHSA(), 'GHSA-35jh-r3h4-6jhm.json'), join(dir, 'a.json'));
      writeFileSync(join(dir, 'b.jsonl.gz'), Buffer.from('this is not gzip at all'));
      const err = await importFeedPaths(store, [NVD(), dir]).catch((e: unknown) => e);
      expect(isAppError(err) && err.code).toBe('IMG_FEED_INVALID');
      expect((err as Error).message).toContain('b.jsonl.gz');
      expect(await counts(store)).toEqual(before);
    });

    it('rolls back everything when the import is cancelled', async () => {
      await importFeedPaths(store, [GHSA()]);
      const before = await counts(store);
      const ctl = new AbortController();
      const err = await importFeedPaths(store, [NVD(), SECDB()], { signal: ctl.signal, onProgress: () => ctl.abort() }).catch((e: unknown) => e);
      expect((err as Error).name).toBe('AbortError');
      expect(await counts(store)).toEqual(before);
    });

    it('replaces records on re-import instead of duplicating them', async () => {
      await importFeedPaths(store, [SECDB()]);
      const first = (await dbStatus(store)).sources[0]!;
      await importFeedPaths(store, [SECDB()]);
      const second = (await dbStatus(store)).sources[0]!;
      expect(second.advisories).toBe(first.advisories);
      expect(second.affected).toBe(first.affected);
    });
  });
}

let n = 0;
storeSuite('sqlite', async () => {
  const path = join(tmp, `s${n++}.db`);
  const store = await openStore({ driver: 'sqlite', path });
  return { store, close: () => store.close() };
});

if (pgMissing) console.warn(pgMissing);
describe.skipIf(pgMissing)('postgres', () => {
  storeSuite('postgres', async () => {
    const { url, drop } = await createPgSchema('imgvulns');
    const store = await openStore({ driver: 'postgres', url });
    return {
      store,
      close: async () => {
        await store.close();
        await drop();
      },
    };
  });
});
