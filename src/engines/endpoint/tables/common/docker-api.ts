/**
 * A synchronous client for the Docker Engine API over its unix socket. Table generators cannot
 * await (SQLite virtual tables are synchronous), so the requests run in a short-lived Node child
 * process (node:http with socketPath) and the generator waits for its answer.
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';

/** Docker's API version this client speaks (supported by Docker Engine 17.06 and later). */
const API_PREFIX = '/v1.30';

/** The socket to use: DOCKER_HOST=unix://... like the docker CLI, else /var/run/docker.sock. */
export function dockerSocketPath(): string {
  const host = process.env.DOCKER_HOST ?? '';
  return host.startsWith('unix://') ? host.slice('unix://'.length) : '/var/run/docker.sock';
}

/** Whether a Docker socket exists to talk to. */
export function hasDockerSocket(path = dockerSocketPath()): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isSocket() === true;
}

export type DockerAnswer = { readonly status: number; readonly body: unknown } | { readonly error: string };

const CHILD = `
const http = require('node:http');
const [sock, paths] = JSON.parse(process.argv[1]);
const get = (p) => new Promise((resolve) => {
  const req = http.get({ socketPath: sock, path: p, headers: { Host: 'localhost' } }, (res) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (d) => { body += d; });
    res.on('end', () => resolve({ status: res.statusCode, text: body }));
  });
  req.on('error', (e) => resolve({ error: e.message }));
  req.setTimeout(15000, () => req.destroy(new Error('no answer within 15 s')));
});
Promise.all(paths.map(get)).then((r) => process.stdout.write(JSON.stringify(r)));
`;

/**
 * GETs paths from an HTTP server on a unix socket and returns each answer's JSON body, in order.
 * All requests share one child process.
 *
 * @example
 * const [info] = unixSocketGet('/var/snap/lxd/common/lxd/unix.socket', ['/1.0']);
 */
export function unixSocketGet(socket: string, paths: readonly string[]): DockerAnswer[] {
  if (paths.length === 0) return [];
  const r = spawnSync(process.execPath, ['--input-type=commonjs', '-e', CHILD, JSON.stringify([socket, paths])], {
    encoding: 'utf8',
    timeout: 30_000,
    maxBuffer: 512 * 1024 * 1024,
  });
  if (r.error || r.status !== 0) {
    const why = r.error?.message ?? (r.stderr.trim() || `exit ${r.status}`);
    return paths.map(() => ({ error: why }));
  }
  const raw = JSON.parse(r.stdout) as ({ status: number; text: string } | { error: string })[];
  return raw.map((a) => {
    if ('error' in a) return a;
    try {
      return { status: a.status, body: JSON.parse(a.text) as unknown };
    } catch {
      return { error: `HTTP ${a.status}: the answer is not JSON` };
    }
  });
}

/**
 * GETs Docker API paths (without the version prefix) and returns each answer's JSON body, in order.
 *
 * @example
 * const [list] = dockerGet(['/containers/json?all=1']);
 */
export function dockerGet(paths: readonly string[], socket = dockerSocketPath()): DockerAnswer[] {
  return unixSocketGet(socket, paths.map((p) => API_PREFIX + p));
}

/**
 * One GET as JSON for a table: undefined (and one warning) when Docker answers with an error;
 * undefined without a warning when there is no socket at all (Docker is not installed).
 */
export function dockerJson(path: string, ctx: { warn(message: string, cause?: unknown): void }, table: string): unknown {
  if (!hasDockerSocket()) return undefined;
  const [answer] = dockerGet([path]);
  if ('error' in answer || answer.status !== 200) {
    ctx.warn(`${table}: Docker API ${path} through ${dockerSocketPath()}: ${'error' in answer ? answer.error : `HTTP ${answer.status}`}`);
    return undefined;
  }
  return answer.body;
}

/** A `filters=` query string for Docker list endpoints from pinned values, or ''. */
export function dockerFilters(filters: Record<string, readonly string[] | undefined>): string {
  const set = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined && v.length > 0));
  return Object.keys(set).length > 0 ? `filters=${encodeURIComponent(JSON.stringify(set))}` : '';
}

/** JSON helpers for Docker's loosely typed answers. */
export const dj = {
  obj: (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {}),
  arr: (v: unknown): unknown[] => (Array.isArray(v) ? v : []),
  str: (v: unknown): string => (typeof v === 'string' ? v : ''),
  num: (v: unknown): number | null => (typeof v === 'number' ? v : null),
  bool: (v: unknown): number => (v === true ? 1 : 0),
  /** Docker's RFC 3339 times as Unix seconds. */
  time: (v: unknown): number | null => {
    const t = typeof v === 'string' ? Date.parse(v) : Number.NaN;
    return Number.isFinite(t) ? Math.floor(t / 1000) : null;
  },
  /** Image ids without the "sha256:" prefix, as osquery shows them. */
  id: (v: unknown): string => (typeof v === 'string' ? v.replace(/^sha256:/, '') : ''),
};
