import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectRows, createTestContext } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { curl } from './curl.js';

// A real HTTP server in a worker thread (the table blocks the main thread while it waits).
const SERVER = `
const http = require('node:http');
const { parentPort } = require('node:worker_threads');
const server = http.createServer((req, res) => {
  if (req.url === '/hello') { res.setHeader('Content-Type', 'text/plain'); res.end('hello ' + req.headers['user-agent']); return; }
  res.statusCode = 404; res.end('missing');
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
`;

let worker: Worker;
let base = '';
beforeAll(async () => {
  worker = new Worker(SERVER, { eval: true });
  const port = await new Promise<number>((resolve) => worker.once('message', resolve));
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await worker.terminate();
});

describe('curl', () => {
  it('GETs a URL from a local HTTP server', () => {
    const rows = collectRows(curl, { constraints: { url: [`${base}/hello`] } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ url: `${base}/hello`, method: 'GET', user_agent: 'vigil', response_code: 200, bytes: 11, result: 'hello vigil' });
    expect(Number(rows[0].round_trip_time)).toBeGreaterThan(0);
    if (!schemaMissing) expect(columnMismatch('curl', rows[0])).toBe('');
  });

  it('reports HTTP errors and uses the given user agent', () => {
    const rows = collectRows(curl, { constraints: { url: [`${base}/nope`], user_agent: ['osquery'] } });
    expect(rows[0]).toMatchObject({ response_code: 404, user_agent: 'osquery', result: 'missing' });
  });

  it('warns and yields nothing for a refused connection or a non-HTTP URL', () => {
    const ctx = createTestContext({ constraints: { url: ['http://127.0.0.1:1/', 'file:///etc/passwd'] } });
    expect([...curl.generate(ctx)]).toEqual([]);
    expect(ctx.warnings).toHaveLength(2);
  });
});
