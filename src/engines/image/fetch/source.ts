import type { Readable } from 'node:stream';
import { AppError } from '../../../core/errors.js';
import type { LayerInfo } from '../types.js';
import {
  isIndex,
  parseConfig,
  parseIndex,
  parseManifest,
  selectManifest,
  verifyBytes,
  type ImageConfig,
  type ImageIndex,
  type PlatformSpec,
} from './manifest.js';

/**
 * An opened image: its identity, config and layers, with a way to stream each layer's bytes.
 * What fetch/ hands to unpack/. Bytes from `openLayer` are digest-checked as they flow: the stream
 * errors (IMG_DIGEST_MISMATCH) at its end when they do not match.
 */
export interface ImageSource {
  /** The reference as the user wrote it. */
  readonly reference: string;
  /** Manifest digest; for docker-archive the config digest; for dir: a digest of the files read (see unpack). */
  readonly digest: string;
  readonly digestKind: 'manifest' | 'config' | 'rootfs';
  readonly configDigest: string;
  readonly config?: ImageConfig;
  readonly platform?: { os: string; architecture: string; variant?: string };
  readonly layers: readonly LayerInfo[];
  /** For dir: references, the directory to read instead of layers. */
  readonly rootfs?: string;
  /** Streams layer `index` (0 = bottom) as stored (maybe compressed), verified against its digest. */
  openLayer(index: number, signal?: AbortSignal): Promise<Readable>;
  /** Releases files and connections. */
  close(): Promise<void>;
}

/** Options for opening an image. */
export interface OpenImageOptions {
  readonly signal?: AbortSignal;
  /** os/arch[/variant] to pick from an index or manifest list. */
  readonly platform?: PlatformSpec;
  /** Use plain HTTP for registries (always used for loopback hosts). */
  readonly insecure?: boolean;
}

/** Content-addressed storage of an image: an OCI layout, an archive or a registry. */
export interface BlobStore {
  /** Reads a small blob (manifest, config) fully and verifies it. */
  readBlob(digest: string, size: number | undefined, what: string, signal?: AbortSignal): Promise<Buffer>;
  /** Streams a blob through a digest verifier. */
  openBlob(digest: string, size: number | undefined, what: string, signal?: AbortSignal): Promise<Readable>;
  /** Reads a manifest by digest when manifests are not blobs (registries); defaults to readBlob. */
  readManifest?(digest: string, size: number | undefined, what: string, signal?: AbortSignal): Promise<Buffer>;
}

/** Follows nested indexes until a single-image manifest; returns its bytes and digest. */
export async function resolveToManifest(
  store: BlobStore,
  bytes: Buffer,
  mediaType: string | undefined,
  digest: string,
  platform: PlatformSpec | undefined,
  what: string,
  signal?: AbortSignal,
): Promise<{ bytes: Buffer; digest: string; platformFromIndex?: PlatformSpec }> {
  let cur = bytes;
  let curDigest = digest;
  let curType = mediaType;
  let picked: PlatformSpec | undefined;
  for (let depth = 0; depth < 4; depth++) {
    if (!isIndex(curType, cur)) return picked === undefined ? { bytes: cur, digest: curDigest } : { bytes: cur, digest: curDigest, platformFromIndex: picked };
    const idx: ImageIndex = parseIndex(cur, `${what}: index ${curDigest}`);
    const d = selectManifest(idx, platform, `${what}: index ${curDigest}`);
    if (d.platform) picked = d.platform.variant ? { os: d.platform.os, architecture: d.platform.architecture, variant: d.platform.variant } : { os: d.platform.os, architecture: d.platform.architecture };
    cur = await (store.readManifest ?? store.readBlob)(d.digest, d.size, `${what}: manifest ${d.digest}`, signal);
    curDigest = d.digest;
    curType = d.mediaType;
  }
  throw new AppError('IMG_MANIFEST_INVALID', `${what}: indexes nested more than 4 deep`, { details: { what } });
}

/** Builds an ImageSource from verified manifest bytes: reads the config and lists the layers. */
export async function sourceFromManifest(
  store: BlobStore,
  reference: string,
  manifestBytes: Buffer,
  manifestDigest: string,
  what: string,
  close: () => Promise<void>,
  signal?: AbortSignal,
): Promise<ImageSource> {
  const manifest = parseManifest(manifestBytes, `${what}: manifest ${manifestDigest}`);
  const configBytes = await store.readBlob(manifest.config.digest, manifest.config.size, `${what}: config ${manifest.config.digest}`, signal);
  const config = parseConfig(configBytes, `${what}: config ${manifest.config.digest}`, manifest.layers.length);
  const created = (config.history ?? []).filter((h) => h.empty_layer !== true).map((h) => h.created_by);
  const layers: LayerInfo[] = manifest.layers.map((l, i) => ({
    digest: l.digest,
    diffId: config.rootfs.diff_ids[i]!,
    mediaType: l.mediaType ?? 'application/vnd.oci.image.layer.v1.tar',
    size: l.size,
    ...(created[i] !== undefined ? { createdBy: created[i] } : {}),
  }));
  return {
    reference,
    digest: manifestDigest,
    digestKind: 'manifest',
    configDigest: manifest.config.digest,
    config,
    ...platformOf(config),
    layers,
    openLayer: (index, sig) => {
      const l = layers[index];
      if (l === undefined) throw new AppError('IMG_MANIFEST_INVALID', `${what}: no layer ${index}`);
      return store.openBlob(l.digest, l.size, `${what}: layer ${index + 1} ${l.digest}`, sig);
    },
    close,
  };
}

/** The platform fields of an ImageSource, from the config. */
export function platformOf(config: ImageConfig): { platform?: { os: string; architecture: string; variant?: string } } {
  if (config.os === undefined || config.architecture === undefined) return {};
  return {
    platform: config.variant
      ? { os: config.os, architecture: config.architecture, variant: config.variant }
      : { os: config.os, architecture: config.architecture },
  };
}

export { verifyBytes };
