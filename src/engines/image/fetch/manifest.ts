import { z } from 'zod/v3';
import { AppError } from '../../../core/errors.js';
import { parseDigest, verifyBytes } from './digest.js';

export const MEDIA = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
} as const;

/** Media types accepted when asking a registry for a manifest, best first. */
export const MANIFEST_ACCEPT = [MEDIA.ociIndex, MEDIA.ociManifest, MEDIA.dockerList, MEDIA.dockerManifest];

/** Layer media types Vigil reads; the compression is still detected from the bytes. */
const LAYER_TYPES = new Set([
  'application/vnd.oci.image.layer.v1.tar',
  'application/vnd.oci.image.layer.v1.tar+gzip',
  'application/vnd.oci.image.layer.v1.tar+zstd',
  'application/vnd.oci.image.layer.nondistributable.v1.tar',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
  'application/vnd.docker.image.rootfs.diff.tar.gzip',
  'application/vnd.docker.image.rootfs.diff.tar.zstd',
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  'application/vnd.docker.image.rootfs.diff.tar',
]);

/** Largest manifest, index or config read into memory. */
export const MAX_JSON_BYTES = 8 * 1024 * 1024;

const descriptor = z.object({
  mediaType: z.string().optional(),
  digest: z.string(),
  size: z.number().int().nonnegative(),
  urls: z.array(z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  platform: z
    .object({ os: z.string(), architecture: z.string(), variant: z.string().optional() })
    .passthrough()
    .optional(),
});
export type Descriptor = z.infer<typeof descriptor>;

const indexSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  manifests: z.array(descriptor),
});
export type ImageIndex = z.infer<typeof indexSchema>;

const manifestSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  config: descriptor,
  layers: z.array(descriptor),
});
export type ImageManifest = z.infer<typeof manifestSchema>;

const configSchema = z
  .object({
    architecture: z.string().optional(),
    os: z.string().optional(),
    variant: z.string().optional(),
    rootfs: z.object({ type: z.string(), diff_ids: z.array(z.string()) }),
    history: z
      .array(z.object({ created_by: z.string().optional(), empty_layer: z.boolean().optional() }).passthrough())
      .optional(),
  })
  .passthrough();
export type ImageConfig = z.infer<typeof configSchema>;

const dockerArchiveSchema = z
  .array(z.object({ Config: z.string(), RepoTags: z.array(z.string()).nullable().optional(), Layers: z.array(z.string()) }))
  .min(1);
export type DockerArchiveManifest = z.infer<typeof dockerArchiveSchema>;

function parseJson<T>(bytes: Uint8Array, what: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (e) {
    throw new AppError('IMG_MANIFEST_INVALID', `${what}: not valid JSON (${(e as Error).message})`, { cause: e, details: { what } });
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new AppError(
      'IMG_MANIFEST_INVALID',
      `${what}: ${issue.path.length > 0 ? issue.path.join('.') : '(top)'}: ${issue.message}`,
      { details: { what, path: issue.path.join('.') } },
    );
  }
  return r.data;
}

/** Parses an OCI index.json or image index / Docker manifest list. */
export function parseIndex(bytes: Uint8Array, what: string): ImageIndex {
  const idx = parseJson(bytes, what, indexSchema);
  idx.manifests.forEach((m, i) => parseDigest(m.digest, `${what}: manifests[${i}].digest`));
  return idx;
}

/** Parses an OCI image manifest or Docker schema 2 manifest and checks its layer media types. */
export function parseManifest(bytes: Uint8Array, what: string): ImageManifest {
  const raw = Buffer.from(bytes).toString('utf8');
  if (/"schemaVersion"\s*:\s*1\b/.test(raw)) {
    throw new AppError('IMG_MEDIA_TYPE_UNSUPPORTED', `${what}: Docker schema 1 manifests are not supported`, { details: { what } });
  }
  const m = parseJson(bytes, what, manifestSchema);
  parseDigest(m.config.digest, `${what}: config.digest`);
  if (m.config.mediaType !== undefined && m.config.mediaType !== MEDIA.ociConfig && m.config.mediaType !== MEDIA.dockerConfig) {
    throw new AppError('IMG_MEDIA_TYPE_UNSUPPORTED', `${what}: config media type ${m.config.mediaType} is not a container image (an artifact?)`, {
      details: { what, mediaType: m.config.mediaType },
    });
  }
  m.layers.forEach((l, i) => {
    parseDigest(l.digest, `${what}: layers[${i}].digest`);
    if (l.mediaType !== undefined && !LAYER_TYPES.has(l.mediaType)) {
      throw new AppError('IMG_MEDIA_TYPE_UNSUPPORTED', `${what}: layers[${i}] has media type ${l.mediaType}, which Vigil does not read`, {
        details: { what, layer: i, mediaType: l.mediaType },
      });
    }
  });
  return m;
}

/** Parses an image config and checks it has one diff_id per layer when `layerCount` is given. */
export function parseConfig(bytes: Uint8Array, what: string, layerCount?: number): ImageConfig {
  const c = parseJson(bytes, what, configSchema);
  c.rootfs.diff_ids.forEach((d, i) => parseDigest(d, `${what}: rootfs.diff_ids[${i}]`));
  if (layerCount !== undefined && c.rootfs.diff_ids.length !== layerCount) {
    throw new AppError('IMG_MANIFEST_INVALID', `${what}: ${c.rootfs.diff_ids.length} diff_ids for ${layerCount} layers`, {
      details: { what },
    });
  }
  return c;
}

/** Parses the manifest.json of a `docker save` archive. */
export function parseDockerArchiveManifest(bytes: Uint8Array, what: string): DockerArchiveManifest {
  return parseJson(bytes, what, dockerArchiveSchema);
}

/** True when the bytes or media type denote an index / manifest list rather than a single-image manifest. */
export function isIndex(mediaType: string | undefined, bytes: Uint8Array): boolean {
  if (mediaType === MEDIA.ociIndex || mediaType === MEDIA.dockerList) return true;
  if (mediaType === MEDIA.ociManifest || mediaType === MEDIA.dockerManifest) return false;
  // No media type (allowed in OCI): look at the shape.
  try {
    const v = JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>;
    return Array.isArray(v.manifests) && !('layers' in v);
  } catch {
    return false;
  }
}

/** A platform asked for with --platform. */
export interface PlatformSpec {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

/**
 * Parses `os/arch[/variant]`.
 *
 * @example parsePlatform('linux/arm/v7') // { os: 'linux', architecture: 'arm', variant: 'v7' }
 */
export function parsePlatform(value: string): PlatformSpec {
  const parts = value.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^[a-z0-9_.-]+$/i.test(p))) {
    throw new AppError('IMG_REFERENCE_INVALID', `--platform ${JSON.stringify(value)}: expected os/arch[/variant], e.g. linux/amd64`, {
      details: { platform: value },
    });
  }
  return parts[2] === undefined ? { os: parts[0]!, architecture: parts[1]! } : { os: parts[0]!, architecture: parts[1]!, variant: parts[2] };
}

/** The platform of the machine running Vigil, in OCI terms. */
export function hostPlatform(): PlatformSpec {
  const arch = ({ x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' } as Record<string, string>)[process.arch] ?? process.arch;
  return { os: 'linux', architecture: arch };
}

/**
 * Picks the manifest for a platform in an index. Without a platform: the only manifest, else the
 * host's platform. Attestation manifests (platform unknown/unknown) are never picked.
 */
export function selectManifest(index: ImageIndex, platform: PlatformSpec | undefined, what: string): Descriptor {
  const images = index.manifests.filter((m) => m.platform?.os !== 'unknown');
  if (platform === undefined && images.length === 1) return images[0]!;
  const want = platform ?? hostPlatform();
  const matches = images.filter(
    (m) =>
      m.platform !== undefined &&
      m.platform.os === want.os &&
      m.platform.architecture === want.architecture &&
      (want.variant === undefined || m.platform.variant === want.variant),
  );
  // Without an asked variant, prefer arm64/v8 or no variant, as containerd does.
  const found = matches.find((m) => m.platform?.variant === undefined || m.platform.variant === 'v8') ?? matches[0];
  if (found === undefined) {
    const have = images.map((m) => (m.platform ? [m.platform.os, m.platform.architecture, m.platform.variant].filter(Boolean).join('/') : '(no platform)'));
    throw new AppError(
      'IMG_PLATFORM_NOT_FOUND',
      `${what}: no image for ${[want.os, want.architecture, want.variant].filter(Boolean).join('/')}; it has ${have.join(', ') || 'none'}`,
      { details: { what, platforms: have } },
    );
  }
  return found;
}

export { verifyBytes };
