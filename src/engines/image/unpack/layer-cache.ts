import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { WantedPattern } from './glob.js';
import type { LayerScan } from './layer-scan.js';

/** Bumped when LayerScan's shape or the tar reader's output changes. */
const FORMAT = 1;

/**
 * An opt-in cache of layer scans, keyed by the layer's blob digest (content-addressed, as Trivy's
 * and Clair's layer caches are) and by the wanted patterns. A cached scan was digest-verified when
 * it was written; a warm scan then reads no layer bytes at all. Corrupt entries are ignored.
 */
export class LayerCache {
  private readonly fingerprint: string;

  constructor(
    readonly dir: string,
    wanted: readonly WantedPattern[],
  ) {
    const spec = JSON.stringify([FORMAT, process.versions.v8, [...wanted].map((w) => [w.pattern, w.maxBytes]).sort()]);
    this.fingerprint = createHash('sha256').update(spec).digest('hex').slice(0, 16);
  }

  private path(digest: string): string | undefined {
    const m = /^(sha256|sha512):([a-f0-9]{64,128})$/.exec(digest);
    return m ? join(this.dir, `layer-v${FORMAT}`, `${m[1]}-${m[2]}-${this.fingerprint}.v8`) : undefined;
  }

  /** The cached scan of a layer, or undefined on a miss or an unreadable entry. */
  async get(digest: string, index: number): Promise<LayerScan | undefined> {
    const p = this.path(digest);
    if (p === undefined) return undefined;
    let bytes: Buffer;
    try {
      bytes = await readFile(p);
    } catch {
      return undefined;
    }
    try {
      const v = deserialize(bytes) as Partial<LayerScan> & { digest?: string };
      if (v.digest !== digest || !Array.isArray(v.entries) || !Array.isArray(v.whiteouts) || !Array.isArray(v.opaqueDirs) || !(v.files instanceof Map)) return undefined;
      for (const b of v.files.values()) if (!(b instanceof Uint8Array)) return undefined;
      const files = new Map<string, Buffer>();
      for (const [k, b] of v.files) files.set(k, Buffer.from(b.buffer, b.byteOffset, b.byteLength));
      return { index, entries: v.entries, whiteouts: v.whiteouts, opaqueDirs: v.opaqueDirs, files, compression: String(v.compression), tarBytes: Number(v.tarBytes) };
    } catch {
      return undefined;
    }
  }

  /** Stores a verified scan; atomic (write then rename). Failures are returned, never thrown. */
  async put(digest: string, scan: LayerScan): Promise<string | undefined> {
    const p = this.path(digest);
    if (p === undefined) return undefined;
    const tmp = `${p}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await mkdir(join(this.dir, `layer-v${FORMAT}`), { recursive: true, mode: 0o700 });
      await writeFile(tmp, serialize({ ...scan, digest }), { mode: 0o600 });
      await rename(tmp, p);
      return undefined;
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      return `layer cache ${this.dir}: could not store ${digest} (${(e as Error).message})`;
    }
  }
}
