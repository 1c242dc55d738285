import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { QueryContext, Row, TableImpl } from '../../types.js';
import { pathTargets } from '../common/path-targets.js';

const CHUNK = 1 << 20;
let buffer: Buffer | undefined;

type Algorithm = 'md5' | 'sha1' | 'sha256';

/**
 * Hashes a file with one or more algorithms in one pass, reading it in 1 MiB chunks so that memory stays
 * flat and a cancel (ctx.signal) stops between chunks. Returns undefined, after a warning, when the file
 * cannot be read.
 *
 * @example
 * hashFile('/etc/hostname', ['sha256'], ctx) // { sha256: '3f7a...' }
 */
export function hashFile(path: string, algorithms: readonly Algorithm[], ctx: QueryContext): Partial<Record<Algorithm, string>> | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== 'ENOENT') ctx.warn(`hash: cannot read ${path} (${code ?? String(e)}); no hash`);
    return undefined;
  }
  try {
    buffer ??= Buffer.allocUnsafe(CHUNK);
    const hashes = algorithms.map((a) => createHash(a));
    for (;;) {
      ctx.signal.throwIfAborted();
      const n = readSync(fd, buffer, 0, CHUNK, null);
      if (n === 0) break;
      const chunk = n === CHUNK ? buffer : buffer.subarray(0, n);
      for (const h of hashes) h.update(chunk);
    }
    return Object.fromEntries(algorithms.map((a, i) => [a, hashes[i]!.digest('hex')]));
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    ctx.warn(`hash: cannot read ${path} (${(e as { code?: string }).code ?? String(e)}); no hash`);
    return undefined;
  } finally {
    closeSync(fd);
  }
}

const ALGORITHMS: readonly Algorithm[] = ['md5', 'sha1', 'sha256'];

/**
 * `hash`: md5, sha1 and sha256 of the regular files a query names by `path` (=, IN, LIKE with `%`/`%%`) or
 * `directory`. Each digest is computed only when the query reads that column, streaming the file.
 *
 * @example
 * vigil query "select path, sha256 from hash where directory = '/usr/bin'"
 */
export const hash: TableImpl = {
  name: 'hash',
  lazyColumns: ['md5', 'sha1', 'sha256'],
  *generate(ctx) {
    for (const { path, directory } of pathTargets(ctx, 'hash')) {
      let st;
      try {
        st = statSync(path, { throwIfNoEntry: false });
      } catch (e) {
        ctx.warn(`hash: cannot stat ${path} (${(e as { code?: string }).code ?? String(e)}); skipped`);
        continue;
      }
      // osquery hashes regular files only (following links); directories and devices give no row.
      if (st === undefined || !st.isFile()) continue;
      // The first digest a query reads is computed alone (most queries want only sha256); a second one
      // computes all the remaining ones in a single pass, so `select *` reads the file twice, not three times.
      const digests = new Map<Algorithm, string | null>();
      const digest = (algorithm: Algorithm): string | null => {
        if (!digests.has(algorithm)) {
          const wanted = digests.size === 0 ? [algorithm] : ALGORITHMS.filter((a) => !digests.has(a));
          const got = hashFile(path, wanted, ctx);
          for (const a of wanted) digests.set(a, got?.[a] ?? null);
        }
        return digests.get(algorithm)!;
      };
      const row: Row = { path, directory, pid_with_namespace: null, mount_namespace_id: null };
      Object.defineProperty(row, 'md5', { get: () => digest('md5'), enumerable: true });
      Object.defineProperty(row, 'sha1', { get: () => digest('sha1'), enumerable: true });
      Object.defineProperty(row, 'sha256', { get: () => digest('sha256'), enumerable: true });
      yield row;
    }
  },
};
