import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../../core/errors.js';
import type { LayerEntry, LayerScan, ScanLimits } from './layer-scan.js';

/** Top-level directories of a live system that are not part of its filesystem image. */
const SKIP_TOP = new Set(['proc', 'sys', 'dev', 'run', 'tmp']);

/**
 * Walks a root filesystem directory as one pseudo-layer (index 0). Links are recorded, never
 * followed; wanted files are read with their size bound. The pseudo-layer's digest is a sha256
 * over the sorted (path, sha256(content)) pairs of the files read, so the same files give the
 * same identity.
 *
 * @example
 * const { scan, digest } = await scanRootfsDir('/srv/rootfs', 'dir:/srv/rootfs', wants, limits, { used: 0 });
 */
export async function scanRootfsDir(
  root: string,
  what: string,
  wants: (path: string) => number | undefined,
  limits: ScanLimits,
  budget: { used: number },
  signal?: AbortSignal,
): Promise<{ scan: LayerScan; digest: string; bytes: number }> {
  const entries: LayerEntry[] = [];
  const files = new Map<string, Buffer>();
  let bytes = 0;
  const walk = async (rel: string): Promise<void> => {
    signal?.throwIfAborted();
    let names: string[];
    try {
      names = await readdir(join(root, rel));
    } catch (e) {
      throw new AppError('IMG_INPUT_NOT_FOUND', `${what}: cannot list ${rel || '/'} (${(e as Error).message})`, { cause: e, details: { what, path: rel } });
    }
    names.sort();
    for (const name of names) {
      if (rel === '' && SKIP_TOP.has(name)) continue;
      const p = rel === '' ? name : `${rel}/${name}`;
      const abs = join(root, p);
      // A file that vanishes or cannot be inspected during the walk (a live system) is skipped.
      const st = await lstat(abs).catch(() => undefined);
      if (st === undefined) continue;
      if (entries.length >= limits.maxEntries) throw new AppError('IMG_LAYER_BOMB', `${what}: more than ${limits.maxEntries} entries`);
      if (st.isSymbolicLink()) {
        entries.push({ path: p, type: 'symlink', linkname: await readlink(abs).catch(() => ''), size: 0 });
      } else if (st.isDirectory()) {
        entries.push({ path: p, type: 'directory', size: 0 });
        await walk(p);
      } else if (st.isFile()) {
        entries.push({ path: p, type: 'file', size: st.size });
        const max = wants(p);
        if (max === undefined) continue;
        if (st.size > max) {
          throw new AppError('IMG_ENTRY_TOO_LARGE', `${what}: ${p} is ${st.size} bytes, more than the ${max} read for such a file`, { details: { what, entry: p } });
        }
        if (budget.used + st.size > limits.maxWantedTotal) {
          throw new AppError('IMG_ENTRY_TOO_LARGE', `${what}: ${p}: files to read exceed ${limits.maxWantedTotal} bytes in total`, { details: { what, entry: p } });
        }
        // O_NOFOLLOW: the file cannot be swapped for a link between lstat and open.
        const fh = await open(abs, constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => undefined);
        if (fh === undefined) continue;
        try {
          const buf = Buffer.alloc(st.size);
          const { bytesRead } = await fh.read(buf, 0, st.size, 0);
          files.set(p, buf.subarray(0, bytesRead));
          budget.used += bytesRead;
          bytes += bytesRead;
        } finally {
          await fh.close();
        }
      } else {
        entries.push({ path: p, type: 'other', size: 0 });
      }
    }
  };
  await walk('');
  const h = createHash('sha256');
  for (const p of [...files.keys()].sort()) h.update(`${p}\0${createHash('sha256').update(files.get(p)!).digest('hex')}\n`);
  return {
    scan: { index: 0, entries, whiteouts: [], opaqueDirs: [], files, compression: 'none', tarBytes: bytes },
    digest: `sha256:${h.digest('hex')}`,
    bytes,
  };
}
