import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../core/errors.js';
import { createDigestVerifier, parseDigest, verifyBytes, digestOf } from './digest.js';
import { parseConfig, parseDockerArchiveManifest, parseIndex, parseManifest, parsePlatform, selectManifest } from './manifest.js';
import { pipeline } from 'node:stream/promises';
import { Readable, Writable } from 'node:stream';

const D = (c: string) => 'sha256:' + c.repeat(64);
const manifest = {
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: D('a'), size: 10 },
  layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: D('b'), size: 20 }],
};
const index = {
  schemaVersion: 2,
  manifests: [
    { digest: D('1'), size: 1, platform: { os: 'linux', architecture: 'amd64' } },
    { digest: D('2'), size: 1, platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
    { digest: D('3'), size: 1, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
    { digest: D('4'), size: 1, platform: { os: 'unknown', architecture: 'unknown' } },
  ],
};
const j = (v: unknown) => Buffer.from(JSON.stringify(v));

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (isAppError(e)) return e.code;
    throw e;
  }
  return undefined;
}

describe('manifests and indexes', () => {
  it('parses an OCI manifest and an index', () => {
    expect(parseManifest(j(manifest), 'm').layers).toHaveLength(1);
    expect(parseIndex(j(index), 'i').manifests).toHaveLength(4);
  });

  it('picks the platform asked for and never an attestation manifest', () => {
    const idx = parseIndex(j(index), 'i');
    expect(selectManifest(idx, parsePlatform('linux/arm/v7'), 'i').digest).toBe(D('2'));
    expect(selectManifest(idx, parsePlatform('linux/arm64'), 'i').digest).toBe(D('3'));
    expect(code(() => selectManifest(idx, parsePlatform('linux/s390x'), 'i'))).toBe('IMG_PLATFORM_NOT_FOUND');
  });

  it('refuses schema 1, foreign config types, unknown layer types and bad digests', () => {
    expect(code(() => parseManifest(j({ schemaVersion: 1, fsLayers: [] }), 'm'))).toBe('IMG_MEDIA_TYPE_UNSUPPORTED');
    expect(code(() => parseManifest(j({ ...manifest, config: { ...manifest.config, mediaType: 'application/vnd.cncf.helm.config.v1+json' } }), 'm'))).toBe('IMG_MEDIA_TYPE_UNSUPPORTED');
    expect(code(() => parseManifest(j({ ...manifest, layers: [{ ...manifest.layers[0], mediaType: 'application/vnd.oci.image.layer.v1.tar+encrypted' }] }), 'm'))).toBe('IMG_MEDIA_TYPE_UNSUPPORTED');
    expect(code(() => parseManifest(j({ ...manifest, layers: [{ ...manifest.layers[0], digest: 'sha256:../../etc/passwd' }] }), 'm'))).toBe('IMG_DIGEST_INVALID');
    expect(code(() => parseManifest(Buffer.from('{"schemaVersion":2,'), 'm'))).toBe('IMG_MANIFEST_INVALID');
    expect(code(() => parseConfig(j({ rootfs: { type: 'layers', diff_ids: [D('c')] } }), 'c', 2))).toBe('IMG_MANIFEST_INVALID');
    expect(code(() => parseDockerArchiveManifest(j([]), 'd'))).toBe('IMG_MANIFEST_INVALID');
  });

  it('names the field that is wrong', () => {
    try {
      parseManifest(j({ ...manifest, layers: [{ digest: D('b') }] }), 'oci:x manifest');
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toMatch(/^oci:x manifest: layers\.0\.size: /);
    }
  });

  it('survives mutated manifests and indexes with AppErrors only (fuzz)', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed / 0x7fffffff);
    const bases = [j(manifest), j(index), j({ rootfs: { type: 'layers', diff_ids: [D('c')] }, history: [] }), j([{ Config: 'a.json', RepoTags: null, Layers: ['x.tar'] }])];
    for (let n = 0; n < 3000; n++) {
      const b = Buffer.from(bases[n % bases.length]!);
      const edits = 1 + Math.floor(rnd() * 4);
      for (let k = 0; k < edits; k++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
      for (const f of [parseManifest, parseIndex, parseConfig, parseDockerArchiveManifest]) {
        try {
          f(b, 'fuzz');
        } catch (e) {
          expect(isAppError(e), String(e)).toBe(true);
        }
      }
    }
  });
});

describe('digests', () => {
  it('verifies bytes and refuses other algorithms', () => {
    const b = Buffer.from('hello');
    expect(() => verifyBytes(b, digestOf(b), 5, 'x')).not.toThrow();
    expect(code(() => verifyBytes(b, D('0'), 5, 'x'))).toBe('IMG_DIGEST_MISMATCH');
    expect(code(() => verifyBytes(b, digestOf(b), 6, 'x'))).toBe('IMG_DIGEST_MISMATCH');
    expect(code(() => parseDigest('md5:abcd', 'x'))).toBe('IMG_DIGEST_INVALID');
  });

  it('fails a stream at its end when the content was altered', async () => {
    const good = Buffer.alloc(100_000, 7);
    const bad = Buffer.from(good);
    bad[500] = 8;
    const sink = () => new Writable({ write: (_c, _e, cb) => cb() });
    await pipeline(Readable.from([good]), createDigestVerifier(digestOf(good), good.length, 'blob'), sink());
    await expect(pipeline(Readable.from([bad]), createDigestVerifier(digestOf(good), good.length, 'blob'), sink())).rejects.toMatchObject({ code: 'IMG_DIGEST_MISMATCH' });
    await expect(pipeline(Readable.from([good, good]), createDigestVerifier(digestOf(good), good.length, 'blob'), sink())).rejects.toMatchObject({ code: 'IMG_DIGEST_MISMATCH' });
  });
});
