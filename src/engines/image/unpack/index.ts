/**
 * unpack/: streams an image's layers and applies them in order, keeping only the files detectors
 * want (in memory, size-bounded) and, per layer, which of them were present with which bytes.
 * Nothing is written to disk.
 */
import type { OperationOptions } from '../../../core/abort.js';
import { isAbortError } from '../../../core/errors.js';
import type { ImageSource } from '../fetch/source.js';
import type { LayerInfo } from '../types.js';
import { DEFAULT_EXPANSION_LIMITS } from './decompress.js';
import { scanRootfsDir } from './dir-scan.js';
import { compileWanted, type WantedPattern } from './glob.js';
import { scanLayer, type LayerScan, type ScanLimits } from './layer-scan.js';
import { LayerCache } from './layer-cache.js';
import { MergedTree, type WantedFile } from './merge.js';

export type { WantedPattern } from './glob.js';
export type { WantedFile } from './merge.js';
export type { LayerScan, ScanLimits } from './layer-scan.js';
export { compileWanted, matchGlob } from './glob.js';
export { normalizeEntryPath } from './paths.js';
export { detectCompression } from './decompress.js';
export { MergedTree } from './merge.js';

/** Default limits: generous for real images, small enough to stop bombs and runaway memory. */
export const DEFAULT_SCAN_LIMITS: ScanLimits = {
  ...DEFAULT_EXPANSION_LIMITS,
  maxWantedTotal: 1024 * 1024 * 1024,
  maxEntries: 2_000_000,
};

/** The result of unpacking: wanted files by layer, and the final filesystem tree. */
export interface UnpackedImage {
  /** Layers as analysed (for dir: the one pseudo-layer). */
  readonly layers: readonly LayerInfo[];
  /** For dir: the digest of the files read; otherwise the source's digest. */
  readonly digest: string;
  /** `views[k]`: the wanted files present after applying layers 0..k (shared maps when unchanged). */
  readonly views: readonly ReadonlyMap<string, WantedFile>[];
  /** The final filesystem. */
  readonly tree: MergedTree;
  readonly warnings: readonly string[];
  /**
   * Reads a wanted file in the final filesystem, following symlinks inside the image root only.
   * Undefined when absent or not a wanted file.
   */
  readFile(path: string): WantedFile | undefined;
}

/** Options for unpackImage. */
export interface UnpackOptions extends OperationOptions {
  readonly limits?: Partial<ScanLimits>;
  /** Layers streamed at once (each gunzip runs on its own thread). Default 4. */
  readonly concurrency?: number;
  /**
   * Directory of an opt-in layer cache (scans keyed by layer digest). Without it nothing is
   * written anywhere: everything stays in memory.
   */
  readonly cacheDir?: string;
}

/**
 * Streams all layers of `source` (concurrently), then merges them bottom-up with overlay semantics.
 *
 * @example
 * const img = await unpackImage(source, [{ pattern: 'var/lib/dpkg/status', maxBytes: 64 << 20 }]);
 * img.readFile('var/lib/dpkg/status')?.layer;
 */
export async function unpackImage(source: ImageSource, wanted: readonly WantedPattern[], options: UnpackOptions = {}): Promise<UnpackedImage> {
  const limits: ScanLimits = { ...DEFAULT_SCAN_LIMITS, ...options.limits };
  const wants = compileWanted(wanted);
  const budget = { used: 0 };
  let layers: LayerInfo[] = [...source.layers];
  let digest = source.digest;
  let scans: LayerScan[];
  const cacheWarnings: string[] = [];
  if (source.rootfs !== undefined) {
    const r = await scanRootfsDir(source.rootfs, source.reference, wants, limits, budget, options.signal);
    scans = [r.scan];
    digest = r.digest;
    layers = [{ digest: r.digest, diffId: r.digest, mediaType: 'application/vnd.vigil.rootfs.directory', size: r.bytes }];
  } else {
    const cache = options.cacheDir !== undefined ? new LayerCache(options.cacheDir, wanted) : undefined;
    scans = await scanAll(source, wants, limits, budget, options, cache, cacheWarnings);
  }
  const tree = new MergedTree();
  tree.warnings.push(...cacheWarnings);
  const views: ReadonlyMap<string, WantedFile>[] = [];
  scans.forEach((scan, i) => {
    const changed = tree.apply(scan, wants, `${source.reference}: layer ${i + 1} ${layers[i]?.digest ?? ''}`);
    views.push(changed || i === 0 ? new Map(tree.live) : views[i - 1]!);
  });
  return {
    layers,
    digest,
    views,
    tree,
    warnings: tree.warnings,
    readFile(path) {
      const r = tree.resolve(path, source.reference);
      if (r === undefined) return undefined;
      return tree.live.get(r.path);
    },
  };
}

async function scanAll(
  source: ImageSource,
  wants: (path: string) => number | undefined,
  limits: ScanLimits,
  budget: { used: number },
  options: UnpackOptions,
  cache: LayerCache | undefined,
  warnings: string[],
): Promise<LayerScan[]> {
  const n = source.layers.length;
  const results: LayerScan[] = new Array<LayerScan>(n);
  const inner = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, inner.signal]) : inner.signal;
  let next = 0;
  let done = 0;
  let failure: unknown;
  const worker = async () => {
    while (failure === undefined) {
      const i = next++;
      if (i >= n) return;
      const l = source.layers[i]!;
      const what = `${source.reference}: layer ${i + 1} ${l.digest}`;
      try {
        const cached = await cache?.get(l.digest, i);
        if (cached !== undefined) {
          results[i] = cached;
        } else {
          const raw = await source.openLayer(i, signal);
          results[i] = await scanLayer(raw, i, what, wants, limits, budget, signal);
          const w = await cache?.put(l.digest, results[i]!);
          if (w !== undefined) warnings.push(w);
        }
        done++;
        options.onProgress?.({ phase: 'unpack', done, total: n, unit: 'layers', detail: l.digest });
      } catch (e) {
        // The first real failure wins; the aborts it causes in other workers are not failures.
        if (failure === undefined && !(isAbortError(e) && inner.signal.aborted)) {
          failure = e;
          inner.abort();
        }
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, options.concurrency ?? 4) }, worker));
  if (failure !== undefined) throw failure;
  options.signal?.throwIfAborted();
  return results;
}
