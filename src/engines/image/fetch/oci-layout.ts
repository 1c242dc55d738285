import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream';
import type { Readable } from 'node:stream';
import { AppError } from '../../../core/errors.js';
import { createDigestVerifier, parseDigest, verifyBytes } from './digest.js';
import { MAX_JSON_BYTES, parseIndex, type ImageIndex, type PlatformSpec } from './manifest.js';
import { resolveToManifest, sourceFromManifest, type BlobStore, type ImageSource } from './source.js';

const REF_NAME = 'org.opencontainers.image.ref.name';

/** Reads a small file with a size bound, naming it in errors. */
export async function readSmallFile(path: string, what: string, max = MAX_JSON_BYTES): Promise<Buffer> {
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new Error('not a regular file');
    size = st.size;
  } catch (e) {
    throw new AppError('IMG_INPUT_NOT_FOUND', `${what}: cannot read ${path} (${(e as Error).message})`, { cause: e, details: { path } });
  }
  if (size > max) {
    throw new AppError('IMG_MANIFEST_INVALID', `${what}: ${path} is ${size} bytes, more than the ${max} allowed for a manifest`, {
      details: { path },
    });
  }
  return readFile(path);
}

/** Picks a manifest descriptor from an OCI index.json by tag (ref.name annotation). */
export function pickByTag(index: ImageIndex, tag: string | undefined, what: string): ImageIndex['manifests'][number] {
  if (tag === undefined) {
    if (index.manifests.length === 1) return index.manifests[0]!;
    const tags = index.manifests.map((m) => m.annotations?.[REF_NAME]).filter((t): t is string => t !== undefined);
    throw new AppError('IMG_TAG_NOT_FOUND', `${what}: holds ${index.manifests.length} images; name one of the tags: ${tags.join(', ')}`, {
      details: { what, tags },
    });
  }
  const found = index.manifests.filter((m) => m.annotations?.[REF_NAME] === tag || m.digest === tag);
  if (found.length === 0) {
    const tags = index.manifests.map((m) => m.annotations?.[REF_NAME]).filter((t): t is string => t !== undefined);
    throw new AppError('IMG_TAG_NOT_FOUND', `${what}: no image tagged ${JSON.stringify(tag)}; tags: ${tags.join(', ') || '(none)'}`, {
      details: { what, tag, tags },
    });
  }
  return found[0]!;
}

/** Blobs of an OCI image layout directory. */
export function ociLayoutStore(dir: string): BlobStore {
  const blobPath = (digest: string, what: string) => {
    const d = parseDigest(digest, what);
    return join(dir, 'blobs', d.algorithm, d.hex);
  };
  return {
    async readBlob(digest, size, what) {
      const bytes = await readSmallFile(blobPath(digest, what), what);
      verifyBytes(bytes, digest, size, what);
      return bytes;
    },
    async openBlob(digest, size, what, signal) {
      const p = blobPath(digest, what);
      // Open first so a missing blob is a clear error, not a stream error later.
      const fh = await open(p, 'r').catch((e: unknown) => {
        throw new AppError('IMG_INPUT_NOT_FOUND', `${what}: blob file ${p} is missing (${(e as Error).message})`, { cause: e, details: { path: p } });
      });
      const src = createReadStream('', { fd: fh, highWaterMark: 1 << 20, ...(signal ? { signal } : {}) });
      const verifier = createDigestVerifier(digest, size, what);
      return pipeline(src, verifier, () => undefined) as unknown as Readable;
    },
  };
}

/**
 * Opens `oci:DIR[:TAG]`, an OCI image layout directory.
 *
 * @example
 * const src = await openOciLayout('/tmp/vigil-test-images/oci', 'bookworm', 'oci:/tmp/vigil-test-images/oci:bookworm', {});
 */
export async function openOciLayout(
  dir: string,
  tag: string | undefined,
  reference: string,
  options: { platform?: PlatformSpec; signal?: AbortSignal },
): Promise<ImageSource> {
  const what = reference;
  const indexBytes = await readSmallFile(join(dir, 'index.json'), `${what}: index.json`);
  const index = parseIndex(indexBytes, `${what}: index.json`);
  const store = ociLayoutStore(dir);
  const desc = pickByTag(index, tag, what);
  const top = await store.readBlob(desc.digest, desc.size, `${what}: manifest ${desc.digest}`, options.signal);
  const m = await resolveToManifest(store, top, desc.mediaType, desc.digest, options.platform, what, options.signal);
  return sourceFromManifest(store, reference, m.bytes, m.digest, what, async () => undefined, options.signal);
}
