import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeImage, indexImage } from '../../src/engines/image/detect/index.js';
import { testImagePath, testImagesMissing } from '../support/test-images.js';
import { sha256, tempDir } from './fixtures.js';
import { freePort, opensslMissing, push, registryToolsMissing, startRegistry, startTokenGate, startTokenServer, type TestRegistry, type TokenGate, type TokenServer } from './registry.js';

const missing = testImagesMissing() ?? registryToolsMissing();
if (missing) console.warn(missing);

interface IndexJson {
  manifests: { digest: string; size: number; mediaType?: string; annotations?: Record<string, string> }[];
}

/** Tag -> manifest descriptor in the test images' OCI layout. */
function ociTags(): Map<string, IndexJson['manifests'][number]> {
  const idx = JSON.parse(readFileSync(testImagePath('oci', 'index.json'), 'utf8')) as IndexJson;
  return new Map(idx.manifests.map((m) => [m.annotations?.['org.opencontainers.image.ref.name'] ?? '', m]));
}

/** An OCI layout whose tag "multi" is an image index of bookworm (linux/amd64) and alpine (linux/arm/v7); blobs are links. */
function makeMultiArchLayout(): string {
  const dir = tempDir('vigil-multi-');
  const blobs = join(dir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  for (const f of readdirSync(testImagePath('oci', 'blobs', 'sha256'))) symlinkSync(testImagePath('oci', 'blobs', 'sha256', f), join(blobs, f));
  const tags = ociTags();
  const b = tags.get('bookworm')!;
  const a = tags.get('alpine')!;
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: b.digest, size: b.size, platform: { os: 'linux', architecture: 'amd64' } },
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: a.digest, size: a.size, platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
      ],
    }),
  );
  const d = sha256(index);
  writeFileSync(join(blobs, d.slice(7)), index);
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: d, size: index.length, annotations: { 'org.opencontainers.image.ref.name': 'multi' } }] }),
  );
  return dir;
}

describe.skipIf(missing)('docker:// pulls from a real registry', () => {
  let registry: TestRegistry;
  let gate: TokenGate;
  let multiDigest: string;

  beforeAll(async () => {
    registry = await startRegistry();
    gate = await startTokenGate(registry.host);
    const oci = testImagePath('oci');
    await push(`oci:${oci}:bookworm`, registry.host, 'test:1');
    await push(`oci:${oci}:alpine`, registry.host, 'test-alpine:3.14');
    const multi = makeMultiArchLayout();
    await push(`oci:${multi}:multi`, registry.host, 'multi:1', true);
    multiDigest = JSON.parse(readFileSync(join(multi, 'index.json'), 'utf8')).manifests[0].digest;
  }, 300_000);

  afterAll(async () => {
    await gate?.stop();
    await registry?.stop();
  });

  it('pulls by tag through a bearer-token challenge and finds the same 107 packages, keyed by the same manifest digest', async () => {
    const inv = await indexImage(`docker://${gate.host}/test:1`);
    expect(inv.digest).toBe(ociTags().get('bookworm')!.digest);
    expect(inv.packages).toHaveLength(107);
    const local = await indexImage(`oci:${testImagePath('oci')}:bookworm`);
    expect(inv.packages).toEqual(local.packages);
    expect(gate.tokenRequests.length).toBeGreaterThan(0);
    expect(gate.tokenRequests[0]!.get('scope')).toBe('repository:test:pull');
    expect(gate.tokenRequests[0]!.get('service')).toBe('vigil-test');
  });

  it('pulls by digest without the gate', async () => {
    const d = ociTags().get('alpine')!.digest;
    const inv = await indexImage(`docker://${registry.host}/test-alpine@${d}`);
    expect(inv.digest).toBe(d);
    expect(inv.packages).toHaveLength(26);
    expect(inv.platform).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' });
  });

  it('picks the image for --platform from an OCI index', async () => {
    const arm = await analyzeImage(`docker://${registry.host}/multi:1`, { platform: 'linux/arm/v7' });
    expect(arm.inventory.distribution?.id).toBe('alpine');
    expect(arm.inventory.digest).toBe(ociTags().get('alpine')!.digest);
    const amd = await indexImage(`docker://${registry.host}/multi@${multiDigest}`, { platform: 'linux/amd64' });
    expect(amd.distribution?.id).toBe('debian');
    expect(amd.packages).toHaveLength(107);
    await expect(indexImage(`docker://${registry.host}/multi:1`, { platform: 'linux/s390x' })).rejects.toMatchObject({
      code: 'IMG_PLATFORM_NOT_FOUND',
      message: expect.stringContaining('linux/amd64, linux/arm/v7'),
    });
  });

  it('fails with IMG_DIGEST_MISMATCH when a blob is altered in transit', async () => {
    gate.tamper = true;
    try {
      await expect(indexImage(`docker://${gate.host}/test-alpine:3.14`)).rejects.toMatchObject({ code: 'IMG_DIGEST_MISMATCH' });
    } finally {
      gate.tamper = false;
    }
  });

  it('names what is missing or unreachable', async () => {
    await expect(indexImage(`docker://${registry.host}/test:nope`)).rejects.toMatchObject({ code: 'IMG_REGISTRY_NOT_FOUND' });
    await expect(indexImage(`docker://${registry.host}/test@sha256:${'0'.repeat(64)}`)).rejects.toMatchObject({ code: 'IMG_REGISTRY_NOT_FOUND' });
    const closed = await freePort();
    await expect(indexImage(`docker://127.0.0.1:${closed}/test:1`)).rejects.toMatchObject({ code: 'IMG_REGISTRY_UNREACHABLE' });
  });
});

describe.skipIf(missing ?? opensslMissing())('docker:// pulls from a registry in token-auth mode', () => {
  let token: TokenServer;
  let registry: TestRegistry;

  beforeAll(async () => {
    token = await startTokenServer();
    registry = await startRegistry(token);
    await push(`oci:${testImagePath('oci')}:alpine`, registry.host, 'secure/alpine:3.14');
  }, 300_000);

  afterAll(async () => {
    await registry?.stop();
    await token?.stop();
  });

  it('answers the registry\'s own Bearer challenge with a pull token and reads the image', async () => {
    const before = token.scopes.length;
    const plain = await fetch(`http://${registry.host}/v2/secure/alpine/manifests/3.14`);
    expect(plain.status).toBe(401);
    expect(plain.headers.get('www-authenticate')).toMatch(/^Bearer realm="http:\/\/127\.0\.0\.1:\d+\/token",service="vigil-test",scope="repository:secure\/alpine:pull"/);
    const inv = await indexImage(`docker://${registry.host}/secure/alpine:3.14`);
    expect(inv.packages).toHaveLength(26);
    expect(inv.digest).toBe(ociTags().get('alpine')!.digest);
    expect(token.scopes.slice(before)).toContain('repository:secure/alpine:pull');
  });
});
