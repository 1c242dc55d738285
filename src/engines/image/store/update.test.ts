/**
 * `vigil db update` end to end against a local HTTP server on 127.0.0.1 serving the real Alpine
 * secdb files from ../shared (base-URL override), with ETags so an unchanged feed is detected.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../core/errors.js';
import { openStore } from '../../../storage/open.js';
import { sharedMissing, sharedPath } from '../../../../test/support/shared.js';
import { ALPINE_SECDB_RELEASES } from '../sources/alpine-secdb.js';
import { dbStatus, importFeedPaths, updateSources } from './index.js';

const missing = sharedMissing('vulndata', 'alpine', 'secdb-20250104');
const tmp = mkdtempSync(join(tmpdir(), 'vigil-update-test-'));
let server: Server;
let base = '';
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const m = /^\/v?([0-9.]+|edge)\/(main|community)\.json$/.exec(req.url ?? '');
    const file = m ? sharedPath('vulndata', 'alpine', 'secdb-20250104', m[1]!, `${m[2]}.json`) : '';
    if (!m || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const body = readFileSync(file);
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    res.writeHead(200, { etag, 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(missing)('updateSources', () => {
  it('fetches and imports a feed from its (overridden) URL, then sees it unchanged', async () => {
    const store = await openStore({ driver: 'sqlite', path: join(tmp, 'u.db') });
    try {
      const missingRelease = ALPINE_SECDB_RELEASES.filter((r) => !existsSync(sharedPath('vulndata', 'alpine', 'secdb-20250104', r.replace(/^v/, ''), 'main.json')));
      expect(missingRelease).toEqual([]);
      const first = await updateSources(store, ['alpine-secdb'], { dir: join(tmp, 'd1'), baseUrls: { 'alpine-secdb': base } });
      expect(first.sources[0]).toMatchObject({ name: 'alpine-secdb', status: 'updated' });
      expect(first.import!.advisories['alpine-secdb']).toBeGreaterThan(10_000);
      const status = await dbStatus(store);
      expect(status.namespaces.some((n) => n.namespace === 'Alpine:v3.21')).toBe(true);
      expect(status.sources[0]!.location).toContain(`${base}/v3.21/main.json`);
      // secdb records carry no dates: a fresh download is dated by the download
      expect(Date.now() - new Date(status.namespaces.find((n) => n.namespace === 'Alpine:v3.21')!.dataDate!).getTime()).toBeLessThan(600_000);
      requests.length = 0;
      const second = await updateSources(store, ['alpine-secdb'], { dir: join(tmp, 'd2'), baseUrls: { 'alpine-secdb': base } });
      expect(second.sources[0]!.status).toBe('unchanged');
      expect(second.import).toBeUndefined();
      expect(requests.length).toBe(ALPINE_SECDB_RELEASES.length * 2);
    } finally {
      await store.close();
    }
  });

  it('fails naming the URL and keeps the previous data when a download fails', async () => {
    const store = await openStore({ driver: 'sqlite', path: join(tmp, 'f.db') });
    try {
      await importFeedPaths(store, [sharedPath('vulndata', 'alpine', 'secdb-20250104', '3.14', 'main.json')]);
      const before = await dbStatus(store);
      // port 1 on loopback: connection refused, as with no network
      const err = await updateSources(store, ['alpine-secdb'], { dir: join(tmp, 'd3'), baseUrls: { 'alpine-secdb': 'http://127.0.0.1:1' } }).catch((e: unknown) => e);
      expect(isAppError(err) && err.code).toBe('IMG_FEED_FETCH');
      expect((err as Error).message).toContain('http://127.0.0.1:1/v3.15/main.json');
      const notFound = await updateSources(store, ['alpine-secdb'], { dir: join(tmp, 'd4'), baseUrls: { 'alpine-secdb': `${base}/nothing-here` } }).catch((e: unknown) => e);
      expect((notFound as Error).message).toMatch(/HTTP 404/);
      expect((await dbStatus(store)).sources).toEqual(before.sources);
      const unknown = await updateSources(store, ['nope'], { dir: join(tmp, 'd5') }).catch((e: unknown) => e);
      expect(isAppError(unknown) && unknown.code).toBe('IMG_SOURCE_UNKNOWN');
    } finally {
      await store.close();
    }
  });
});
