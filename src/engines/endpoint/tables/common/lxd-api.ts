/**
 * A synchronous client for the LXD REST API on its unix socket ($LXD_DIR/unix.socket, the snap's
 * /var/snap/lxd/common/lxd/unix.socket, or /var/lib/lxd/unix.socket). Answers come in LXD's
 * envelope ({type, status_code, metadata}); callers get the metadata.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { unixSocketGet } from './docker-api.js';

/** The LXD socket to use, or undefined when LXD is not installed here. */
export function lxdSocketPath(): string | undefined {
  const candidates = [
    ...(process.env.LXD_DIR ? [join(process.env.LXD_DIR, 'unix.socket')] : []),
    '/var/snap/lxd/common/lxd/unix.socket',
    '/var/lib/lxd/unix.socket',
  ];
  return candidates.find((p) => statSync(p, { throwIfNoEntry: false })?.isSocket() === true);
}

/**
 * GETs LXD API paths and returns each answer's metadata (undefined, with one warning, on error).
 *
 * @example
 * const [instances] = lxdGet(['/1.0/instances?recursion=1'], ctx, 'lxd_instances');
 */
export function lxdGet(paths: readonly string[], ctx: { warn(message: string, cause?: unknown): void }, table: string): unknown[] {
  const socket = lxdSocketPath();
  if (socket === undefined) return paths.map(() => undefined);
  return unixSocketGet(socket, paths).map((a, i) => {
    if ('error' in a) {
      ctx.warn(`${table}: LXD API ${paths[i]} through ${socket}: ${a.error}`);
      return undefined;
    }
    const env = (typeof a.body === 'object' && a.body !== null ? a.body : {}) as { metadata?: unknown; error?: string };
    if (a.status !== 200) {
      ctx.warn(`${table}: LXD API ${paths[i]}: HTTP ${a.status}${env.error ? ` (${env.error})` : ''}`);
      return undefined;
    }
    return env.metadata;
  });
}
