/**
 * curl: performs an HTTP(S) GET of each `url` the query names and reports the status, the round
 * trip time (microseconds), the size and the body. The request runs in a short-lived Node child
 * process (fetch) because table generators are synchronous; each has a 10 second time limit.
 */
import { spawnSync } from 'node:child_process';
import type { QueryContext, Row, TableImpl } from '../../types.js';

/** The User-Agent sent when the query does not set `user_agent`. */
export const DEFAULT_USER_AGENT = 'vigil';
const TIMEOUT_MS = 10_000;

const CHILD = `
const [url, agent, timeout] = JSON.parse(process.argv[1]);
const started = process.hrtime.bigint();
fetch(url, { headers: { 'User-Agent': agent }, redirect: 'follow', signal: AbortSignal.timeout(timeout) })
  .then(async (res) => {
    const body = Buffer.from(await res.arrayBuffer());
    const rtt = Number((process.hrtime.bigint() - started) / 1000n);
    process.stdout.write(JSON.stringify({ status: res.status, rtt, bytes: body.length, body: body.toString('utf8') }));
  })
  .catch((e) => process.stdout.write(JSON.stringify({ error: String(e && e.cause ? e.cause.message || e.cause : e.message || e) })));
`;

export type CurlResult = { status: number; rtt: number; bytes: number; body: string } | { error: string };

/**
 * GETs one URL synchronously.
 *
 * @example
 * const r = curlGet('http://127.0.0.1:8080/health', 'vigil');
 */
export function curlGet(url: string, userAgent: string): CurlResult {
  const r = spawnSync(process.execPath, ['--input-type=commonjs', '-e', CHILD, JSON.stringify([url, userAgent, TIMEOUT_MS])], {
    encoding: 'utf8',
    timeout: TIMEOUT_MS + 5_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error || r.status !== 0) return { error: r.error?.message ?? (r.stderr.trim() || `exit ${r.status}`) };
  try {
    return JSON.parse(r.stdout) as CurlResult;
  } catch {
    return { error: 'no answer' };
  }
}

/** Rows for the URLs a query names. */
export function* curlRows(ctx: QueryContext): Generator<Row> {
  const agents = ctx.constraint('user_agent') ?? [DEFAULT_USER_AGENT];
  for (const url of new Set(ctx.constraint('url') ?? [])) {
    if (!/^https?:\/\//i.test(url)) {
      ctx.warn(`curl: ${url} is not an http:// or https:// URL`);
      continue;
    }
    for (const agent of agents) {
      if (ctx.signal.aborted) return;
      const r = curlGet(url, agent);
      if ('error' in r) {
        ctx.warn(`curl: GET ${url} failed: ${r.error}`);
        continue;
      }
      yield { url, method: 'GET', user_agent: agent, response_code: r.status, round_trip_time: r.rtt, bytes: r.bytes, result: r.body };
    }
  }
}

/** Generator for osquery's `curl` table (needs WHERE url = ...). */
export const curl: TableImpl = {
  name: 'curl',
  generate: (ctx) => curlRows(ctx),
};
