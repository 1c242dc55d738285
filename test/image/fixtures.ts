/**
 * Builders for small, real image fixtures made inside tests: tar layers (via tar-stream or raw
 * headers for malformed cases), gzip/zstd compression and OCI layouts on disk.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { afterAll } from 'vitest';

/** One entry of a test layer. */
export interface FixtureEntry {
  readonly name: string;
  readonly type?: 'file' | 'directory' | 'symlink' | 'link';
  readonly content?: string | Buffer;
  readonly linkname?: string;
}

/** Builds an uncompressed tar (PAX when names are long) with tar-stream. */
export async function makeTar(entries: readonly FixtureEntry[]): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (c: unknown) => {
    chunks.push(c as Buffer);
  });
  const done = new Promise<void>((resolve, reject) => {
    p.on('end', () => resolve());
    p.on('error', reject);
  });
  for (const e of entries) {
    const type = e.type ?? 'file';
    const body = e.content === undefined ? undefined : Buffer.from(e.content);
    await new Promise<void>((resolve, reject) => {
      const header = { name: e.name, type, mode: type === 'directory' ? 0o755 : 0o644, ...(e.linkname !== undefined ? { linkname: e.linkname } : {}), ...(type === 'file' ? { size: body?.length ?? 0 } : {}) };
      const cb = (err?: Error | null) => (err ? reject(err) : resolve());
      if (type === 'file') p.entry(header, body ?? Buffer.alloc(0), cb);
      else p.entry(header, cb);
    });
  }
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** A raw ustar header block with a correct checksum, for names tar-stream would refuse to write. */
export function rawTarEntry(name: string, content: Buffer, flag = '0', linkname = ''): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(content.length.toString(8).padStart(11, '0') + '\0', 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write(flag, 156);
  h.write(linkname, 157, 100, 'utf8');
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  const pad = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([h, content, pad]);
}

/** Ends a raw tar with the two zero blocks. */
export function endTar(...parts: Buffer[]): Buffer {
  return Buffer.concat([...parts, Buffer.alloc(1024)]);
}

export function gzip(b: Buffer): Buffer {
  return gzipSync(b);
}

/** True when the zstd CLI is installed (tests of zstd layers skip otherwise). */
export function hasZstd(): boolean {
  try {
    execFileSync('zstd', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function zstd(b: Buffer): Buffer {
  return execFileSync('zstd', ['-q', '-c', '-3'], { input: b, maxBuffer: 1 << 30 });
}

export function sha256(b: Buffer | string): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`;
}

const created: string[] = [];
// Registered in the root suite of each test file that imports these fixtures (vitest isolates
// modules per file), so every file removes the temp dirs it made.
afterAll(() => {
  for (const d of created.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh temp dir for one test, removed after the test file's last test. */
export function tempDir(prefix = 'vigil-img-test-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  created.push(d);
  return d;
}

export interface LayoutLayer {
  /** The blob as stored (compressed or not). */
  readonly blob: Buffer;
  /** The uncompressed tar (for the diff_id). */
  readonly tar: Buffer;
  readonly mediaType?: string;
}

/**
 * Writes an OCI image layout with one image tagged `tag`. Returns the manifest digest.
 * `mutate` may change the manifest or config before they are written (for bad-input tests).
 */
export function writeOciLayout(
  dir: string,
  layers: readonly LayoutLayer[],
  options: {
    tag?: string;
    platform?: { os: string; architecture: string; variant?: string };
    mutateManifest?: (m: Record<string, unknown>) => void;
    mutateConfig?: (c: Record<string, unknown>) => void;
  } = {},
): { manifestDigest: string; configDigest: string; layerDigests: string[] } {
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  const put = (b: Buffer) => {
    const d = sha256(b);
    writeFileSync(join(dir, 'blobs', 'sha256', d.slice(7)), b);
    return d;
  };
  const platform = options.platform ?? { os: 'linux', architecture: 'amd64' };
  const config: Record<string, unknown> = {
    ...platform,
    rootfs: { type: 'layers', diff_ids: layers.map((l) => sha256(l.tar)) },
    history: layers.map((_, i) => ({ created_by: `test layer ${i + 1}` })),
  };
  options.mutateConfig?.(config);
  const configBytes = Buffer.from(JSON.stringify(config));
  const configDigest = put(configBytes);
  const layerDigests = layers.map((l) => put(l.blob));
  const manifest: Record<string, unknown> = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: configBytes.length },
    layers: layers.map((l, i) => ({ mediaType: l.mediaType ?? 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layerDigests[i], size: l.blob.length })),
  };
  options.mutateManifest?.(manifest);
  const manifestBytes = Buffer.from(JSON.stringify(manifest));
  const manifestDigest = put(manifestBytes);
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: manifestDigest, size: manifestBytes.length, annotations: { 'org.opencontainers.image.ref.name': options.tag ?? 'test' } }],
    }),
  );
  return { manifestDigest, configDigest, layerDigests };
}

/** Gzipped layer from entries. */
export async function gzLayer(entries: readonly FixtureEntry[]): Promise<LayoutLayer> {
  const tar = await makeTar(entries);
  return { tar, blob: gzip(tar) };
}
