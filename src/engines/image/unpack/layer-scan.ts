import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { AppError, isAppError } from '../../../core/errors.js';
import { createCounter, createDecompressionStages, detectCompression, peek, type ExpansionLimits } from './decompress.js';
import { baseOf, dirOf, normalizeEntryPath } from './paths.js';
import { createTarReader, TarFormatError, type TarEntryHeader } from './tar-reader.js';

/** Entry kinds kept in the merged tree. */
export type EntryType = 'file' | 'directory' | 'symlink' | 'link' | 'other';

/** One entry of a layer, as the merge needs it. */
export interface LayerEntry {
  readonly path: string;
  readonly type: EntryType;
  /** Symlink target as written, or the normalised hard link target. */
  readonly linkname?: string;
  readonly size: number;
}

/** What one layer holds that matters: its entries, its whiteouts and the wanted files' bytes. */
export interface LayerScan {
  readonly index: number;
  readonly entries: LayerEntry[];
  /** Paths removed by `.wh.<name>` entries. */
  readonly whiteouts: string[];
  /** Directories made opaque by `.wh..wh..opq` (lower layers' children hidden). */
  readonly opaqueDirs: string[];
  /** Wanted regular files of this layer: path -> bytes. */
  readonly files: Map<string, Buffer>;
  readonly compression: string;
  /** Uncompressed bytes read. */
  readonly tarBytes: number;
}

/** Limits for a scan. */
export interface ScanLimits extends ExpansionLimits {
  /** Largest total of wanted bytes kept in memory for one image. */
  readonly maxWantedTotal: number;
  /** Largest number of entries in one layer. */
  readonly maxEntries: number;
}

const WH = '.wh.';
const OPQ = '.wh..wh..opq';

function entryType(flag: string): EntryType {
  switch (flag) {
    case '0':
    case '7':
      return 'file';
    case '5':
      return 'directory';
    case '2':
      return 'symlink';
    case '1':
      return 'link';
    default:
      return 'other';
  }
}

/**
 * Classifies a failure while reading a layer: a file that cannot be read, a connection that broke,
 * or (zlib, zstd and anything else) bytes that are not what they claim to be.
 */
function readError(e: unknown, what: string, entry: string, format: string): AppError {
  if (isAppError(e)) return e;
  const err = e as { message?: string; syscall?: string; code?: string; cause?: { code?: string; message?: string } };
  const msg = err.message ?? String(e);
  if (err.syscall !== undefined) {
    return new AppError('IMG_INPUT_NOT_FOUND', `${what}: cannot read the layer (${msg})`, { cause: e, details: { what } });
  }
  if (msg === 'terminated' || err.cause?.code?.startsWith('UND_ERR') || err.code === 'ECONNRESET') {
    return new AppError('IMG_REGISTRY_UNREACHABLE', `${what}: the connection broke while reading the layer (${err.cause?.message ?? msg})`, { cause: e, details: { what } });
  }
  return new AppError('IMG_LAYER_CORRUPT', `${what}: ${format} stream is corrupt near entry ${JSON.stringify(entry)} (${msg})`, { cause: e, details: { what, entry } });
}

/**
 * Streams one layer (gzip, zstd or plain tar, detected from its bytes) through Vigil's tar reader
 * and keeps only what the merge and the detectors need. Unwanted entry data is skipped, never copied.
 *
 * @example
 * const scan = await scanLayer(await source.openLayer(0), 0, 'layer 1 sha256:...', wants, limits, budget);
 */
export async function scanLayer(
  raw: Readable,
  index: number,
  what: string,
  wants: (path: string) => number | undefined,
  limits: ScanLimits,
  budget: { used: number },
  signal?: AbortSignal,
): Promise<LayerScan> {
  const entries: LayerEntry[] = [];
  const whiteouts: string[] = [];
  const opaqueDirs: string[] = [];
  const files = new Map<string, Buffer>();
  let current = '(start of layer)';
  let compressed = 0;
  let tarBytes = 0;
  let head: Buffer;
  try {
    head = await peek(raw);
  } catch (e) {
    if (signal?.aborted) throw e;
    throw readError(e, what, '(start of layer)', 'layer');
  }
  const compression = detectCompression(head);
  const onEntry = (h: TarEntryHeader): boolean => {
    current = h.name;
    const path = normalizeEntryPath(h.name);
    if (path === undefined) {
      throw new AppError('IMG_LAYER_UNSAFE_PATH', `${what}: entry ${JSON.stringify(h.name)} leaves the image root`, { details: { what, entry: h.name } });
    }
    if (entries.length + whiteouts.length + opaqueDirs.length >= limits.maxEntries) {
      throw new AppError('IMG_LAYER_BOMB', `${what}: more than ${limits.maxEntries} entries`, { details: { what } });
    }
    const type = entryType(h.flag);
    const size = h.size;
    const base = baseOf(path);
    if (base.startsWith(WH)) {
      if (base === OPQ) opaqueDirs.push(dirOf(path));
      else {
        const dir = dirOf(path);
        const name = base.slice(WH.length);
        if (name !== '' && name !== '.' && name !== '..') whiteouts.push(dir === '' ? name : `${dir}/${name}`);
      }
      return false;
    }
    if (path === '') return false; // the root directory itself
    let linkname: string | undefined;
    if (type === 'symlink') linkname = h.linkname;
    if (type === 'link') {
      const l = normalizeEntryPath(h.linkname);
      if (l === undefined || l === '') {
        throw new AppError('IMG_LAYER_UNSAFE_PATH', `${what}: hard link ${JSON.stringify(h.name)} points out of the image root (${JSON.stringify(h.linkname)})`, {
          details: { what, entry: h.name, linkname: h.linkname },
        });
      }
      linkname = l;
    }
    entries.push(linkname === undefined ? { path, type, size } : { path, type, linkname, size });
    const max = type === 'file' ? wants(path) : undefined;
    if (max === undefined) return false;
    if (size > max) {
      throw new AppError('IMG_ENTRY_TOO_LARGE', `${what}: ${path} is ${size} bytes, more than the ${max} read for such a file`, {
        details: { what, entry: path, size, limit: max },
      });
    }
    if (budget.used + size > limits.maxWantedTotal) {
      throw new AppError('IMG_ENTRY_TOO_LARGE', `${what}: ${path}: files to read exceed ${limits.maxWantedTotal} bytes in total`, { details: { what, entry: path } });
    }
    budget.used += size;
    return true;
  };
  const reader = createTarReader(onEntry, (h, data) => {
    const path = normalizeEntryPath(h.name);
    if (path !== undefined) files.set(path, data);
  });
  const stages = createDecompressionStages(compression, what, limits, () => compressed);
  try {
    await pipeline(
      raw,
      createCounter((n) => (compressed += n)),
      ...stages,
      createCounter((n) => (tarBytes += n)),
      reader,
      ...(signal ? [{ signal }] : []),
    );
  } catch (e) {
    if (signal?.aborted) throw e;
    if (isAppError(e)) throw e;
    if (e instanceof TarFormatError) {
      throw new AppError('IMG_LAYER_CORRUPT', `${what}: bad tar data at byte ${e.offset} near entry ${JSON.stringify(e.entry)}: ${e.message}`, {
        cause: e,
        details: { what, entry: e.entry, offset: e.offset },
      });
    }
    throw readError(e, what, current, compression === 'none' ? 'tar' : compression);
  }
  return { index, entries, whiteouts, opaqueDirs, files, compression, tarBytes };
}
