import { createReadStream } from 'node:fs';
import { posix } from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import { AppError } from '../../../core/errors.js';
import type { LayerInfo } from '../types.js';
import { createDigestVerifier, digestOf, parseDigest, verifyBytes } from './digest.js';
import { MAX_JSON_BYTES, parseConfig, parseDockerArchiveManifest, parseIndex, type PlatformSpec } from './manifest.js';
import { pickByTag } from './oci-layout.js';
import { platformOf, resolveToManifest, sourceFromManifest, type BlobStore, type ImageSource } from './source.js';
import { indexTarFile, normalizeArchiveName, type TarIndex, type TarMember } from './tar-index.js';

function memberStream(idx: TarIndex, m: TarMember, signal?: AbortSignal): Readable {
  return createReadStream(idx.path, {
    start: m.offset,
    end: m.offset + m.size - 1,
    highWaterMark: 1 << 20,
    ...(signal ? { signal } : {}),
  });
}

function emptyStream(): Readable {
  return createReadStream('/dev/null');
}

/** Blobs of an OCI layout stored inside a tar file (oci-archive), read in place. */
function ociArchiveStore(idx: TarIndex, what: string): BlobStore {
  const member = (digest: string, w: string) => {
    const d = parseDigest(digest, w);
    const m = idx.resolve(`blobs/${d.algorithm}/${d.hex}`);
    if (m === undefined) {
      throw new AppError('IMG_ARCHIVE_CORRUPT', `${w}: blob ${digest} is not in ${what}`, { details: { path: idx.path, digest } });
    }
    return m;
  };
  return {
    async readBlob(digest, size, w) {
      const bytes = await idx.read(member(digest, w), MAX_JSON_BYTES, w);
      verifyBytes(bytes, digest, size, w);
      return bytes;
    },
    async openBlob(digest, size, w, signal) {
      const m = member(digest, w);
      const src = m.size === 0 ? emptyStream() : memberStream(idx, m, signal);
      return pipeline(src, createDigestVerifier(digest, size, w), () => undefined) as unknown as Readable;
    },
  };
}

/**
 * Opens `oci-archive:FILE[:TAG]`: a tar of an OCI layout, read in place (nothing is extracted).
 *
 * @example
 * const src = await openOciArchive('bookworm-oci.tar', undefined, 'oci-archive:bookworm-oci.tar', {});
 */
export async function openOciArchive(
  file: string,
  tag: string | undefined,
  reference: string,
  options: { platform?: PlatformSpec; signal?: AbortSignal },
): Promise<ImageSource> {
  const idx = await indexTarFile(file, reference);
  try {
    const indexMember = idx.resolve('index.json');
    if (indexMember === undefined) {
      throw new AppError('IMG_ARCHIVE_CORRUPT', `${reference}: no index.json in the archive (is it an OCI archive?)`, { details: { path: file } });
    }
    const index = parseIndex(await idx.read(indexMember, MAX_JSON_BYTES, reference), `${reference}: index.json`);
    const store = ociArchiveStore(idx, reference);
    const desc = pickByTag(index, tag, reference);
    const top = await store.readBlob(desc.digest, desc.size, `${reference}: manifest ${desc.digest}`, options.signal);
    const m = await resolveToManifest(store, top, desc.mediaType, desc.digest, options.platform, reference, options.signal);
    return await sourceFromManifest(store, reference, m.bytes, m.digest, reference, () => idx.close(), options.signal);
  } catch (e) {
    await idx.close();
    throw e;
  }
}

/**
 * Opens `docker-archive:FILE[:REPO:TAG|:@N]` (the `docker save` format). There is no registry
 * manifest inside, so the image is identified by its config digest (digestKind 'config').
 * Layers are stored uncompressed and named by their diff_id, which is verified while streaming.
 *
 * @example
 * const src = await openDockerArchive('bookworm-docker.tar', undefined, 'docker-archive:bookworm-docker.tar', {});
 */
export async function openDockerArchive(
  file: string,
  ref: string | undefined,
  reference: string,
  options: { signal?: AbortSignal },
): Promise<ImageSource> {
  void options;
  const idx = await indexTarFile(file, reference);
  try {
    const mm = idx.resolve('manifest.json');
    if (mm === undefined) {
      throw new AppError('IMG_ARCHIVE_CORRUPT', `${reference}: no manifest.json in the archive (is it a docker save archive?)`, { details: { path: file } });
    }
    const entries = parseDockerArchiveManifest(await idx.read(mm, MAX_JSON_BYTES, reference), `${reference}: manifest.json`);
    let entry = entries[0]!;
    if (ref !== undefined) {
      const at = /^@(\d+)$/.exec(ref);
      const found = at ? entries[Number(at[1])] : entries.find((e) => (e.RepoTags ?? []).some((t) => t === ref || t === `${ref}:latest` || t === `docker.io/${ref}`));
      if (found === undefined) {
        const tags = entries.flatMap((e) => e.RepoTags ?? []);
        throw new AppError('IMG_TAG_NOT_FOUND', `${reference}: no image ${JSON.stringify(ref)}; it has ${tags.join(', ') || `${entries.length} untagged image(s) (use @0...)`}`, {
          details: { what: reference, tags },
        });
      }
      entry = found;
    } else if (entries.length > 1) {
      throw new AppError('IMG_TAG_NOT_FOUND', `${reference}: holds ${entries.length} images; add :REPO:TAG or :@N`, {
        details: { tags: entries.flatMap((e) => e.RepoTags ?? []) },
      });
    }
    const cfgMember = idx.resolve(entry.Config);
    if (cfgMember === undefined) throw new AppError('IMG_ARCHIVE_CORRUPT', `${reference}: config ${entry.Config} is not in the archive`, { details: { path: file } });
    const cfgBytes = await idx.read(cfgMember, MAX_JSON_BYTES, reference);
    const configDigest = digestOf(cfgBytes);
    // The config file is named after its digest (<hex>.json or blobs/sha256/<hex>): check it.
    const named = /([a-f0-9]{64})(?:\.json)?$/.exec(posix.basename(normalizeArchiveName(entry.Config)));
    if (named && `sha256:${named[1]}` !== configDigest) {
      throw new AppError('IMG_DIGEST_MISMATCH', `${reference}: config ${entry.Config} hashes to ${configDigest}`, { details: { path: file } });
    }
    const config = parseConfig(cfgBytes, `${reference}: config ${entry.Config}`, entry.Layers.length);
    const created = (config.history ?? []).filter((h) => h.empty_layer !== true).map((h) => h.created_by);
    const members: TarMember[] = entry.Layers.map((l, i) => {
      const m = idx.resolve(l);
      if (m === undefined) throw new AppError('IMG_ARCHIVE_CORRUPT', `${reference}: layer ${i + 1} (${l}) is not in the archive`, { details: { path: file, layer: l } });
      return m;
    });
    const layers: LayerInfo[] = members.map((m, i) => ({
      digest: config.rootfs.diff_ids[i]!,
      diffId: config.rootfs.diff_ids[i]!,
      mediaType: 'application/vnd.docker.image.rootfs.diff.tar',
      size: m.size,
      ...(created[i] !== undefined ? { createdBy: created[i] } : {}),
    }));
    return {
      reference,
      digest: configDigest,
      digestKind: 'config',
      configDigest,
      config,
      ...platformOf(config),
      layers,
      async openLayer(index, signal) {
        const m = members[index]!;
        const l = layers[index]!;
        const src = m.size === 0 ? emptyStream() : memberStream(idx, m, signal);
        // Layers in docker save archives are the uncompressed tars, named by diff_id. A newer docker
        // may store compressed blobs; their digest is then the blob name, not the diff_id.
        const head = Buffer.alloc(4);
        if (m.size >= 4) await idx.fh.read(head, 0, 4, m.offset);
        const compressed = (head[0] === 0x1f && head[1] === 0x8b) || head.readUInt32LE(0) === 0xfd2fb528;
        const blobName = /([a-f0-9]{64})/.exec(m.name);
        const expected = compressed ? (blobName ? `sha256:${blobName[1]}` : undefined) : l.diffId;
        if (expected === undefined) return src;
        return pipeline(src, createDigestVerifier(expected, m.size, `${reference}: layer ${index + 1} ${entry.Layers[index]}`), () => undefined) as unknown as Readable;
      },
      close: () => idx.close(),
    };
  } catch (e) {
    await idx.close();
    throw e;
  }
}
