import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../../../test/image/fixtures.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { testImagePath, testImagesMissing } from '../../../../test/support/test-images.js';
import type { ImageInventory } from '../types.js';
import { analyzeImage, type ImageAnalysis } from './index-image.js';
import { dpkg } from './dpkg.js';

const missing = testImagesMissing();

function skopeoMissing(): string | undefined {
  try {
    execFileSync('skopeo', ['--version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'skipped: skopeo is not installed (apt-get install skopeo)';
  }
}
if (missing) console.warn(missing);

/** name -> version of an installed-package status file built with the images. */
function statusVersions(file: string): Map<string, string> {
  const r = dpkg.detect('var/lib/dpkg/status', readFileSync(testImagePath(file)), {});
  return new Map(r.packages.map((p) => [p.name, p.version]));
}

/** name@version -> index of the layer the package is attributed to. */
function byLayerIndex(inv: ImageInventory): Map<string, number> {
  const idx = new Map(inv.layers.map((l, i) => [l.digest, i]));
  return new Map(inv.packages.map((p) => [`${p.name}@${p.version}`, idx.get(p.layer)!]));
}

describe.skipIf(missing)('indexing the real test images', () => {
  const oci = `oci:${testImagePath('oci')}`;
  let bookworm: ImageAnalysis;
  beforeAll(async () => {
    bookworm = await analyzeImage(`${oci}:bookworm`);
  });

  it('finds exactly the packages of the final dpkg database of bookworm, with Debian 12 detected', () => {
    const inv = bookworm.inventory;
    const final = statusVersions('bookworm.final.dpkg-status');
    expect(inv.packages).toHaveLength(107);
    expect(new Map(inv.packages.map((p) => [p.name, p.version]))).toEqual(final);
    expect(inv.distribution).toMatchObject({ id: 'debian', versionId: '12', codename: 'bookworm', layer: inv.layers[0]!.digest });
    expect(inv.digestKind).toBe('manifest');
    expect(inv.layers).toHaveLength(3);
    expect(inv.platform).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(inv.warnings).toEqual([]);
    expect(inv.packages.every((p) => p.file === 'var/lib/dpkg/status' && p.detector === 'dpkg@1')).toBe(true);
  });

  it('attributes each package to the layer that introduced its version (layer-1 and layer-2 status files)', () => {
    const l1 = statusVersions('bookworm.layer1.dpkg-status');
    const layers = byLayerIndex(bookworm.inventory);
    for (const p of bookworm.inventory.packages) {
      const want = l1.get(p.name) === p.version ? 0 : 1;
      expect(layers.get(`${p.name}@${p.version}`), p.name).toBe(want);
    }
    expect([...layers.values()].filter((i) => i === 1)).toHaveLength(19);
    expect(bookworm.inventory.packages.find((p) => p.name === 'curl')?.layer).toBe(bookworm.inventory.layers[1]!.digest);
  });

  it('drops less, purged in the top layer, together with its files', () => {
    expect(bookworm.inventory.packages.find((p) => p.name === 'less')).toBeUndefined();
    expect(bookworm.unpacked.tree.find('usr/bin/less')).toBeUndefined();
    expect(bookworm.unpacked.tree.find('etc/motd')).toBeUndefined();
    expect(bookworm.unpacked.tree.find('usr/bin/curl')).toBeDefined();
    // ... while layer 2's view of the database still had it
    const l2status = bookworm.unpacked.views[1]!.get('var/lib/dpkg/status')!;
    expect(l2status.content.toString()).toMatch(/^Package: less$/m);
  });

  it('maps binaries to their Debian source package', () => {
    const p = bookworm.inventory.packages;
    expect(p.find((x) => x.name === 'libssl3')).toMatchObject({ sourceName: 'openssl' });
    expect(p.find((x) => x.name === 'libcurl4')).toMatchObject({ sourceName: 'curl' });
    expect(p.find((x) => x.name === 'libxml2')).toMatchObject({ sourceName: 'libxml2' });
  });

  it('gives the same packages and layers from oci-archive: and docker-archive: inputs', async () => {
    const want = byLayerIndex(bookworm.inventory);
    const ociArchive = (await analyzeImage(`oci-archive:${testImagePath('bookworm-oci.tar')}`)).inventory;
    expect(ociArchive.digest).toBe(bookworm.inventory.digest);
    expect(byLayerIndex(ociArchive)).toEqual(want);
    const docker = (await analyzeImage(`docker-archive:${testImagePath('bookworm-docker.tar')}`)).inventory;
    expect(docker.digestKind).toBe('config');
    expect(docker.digest).toBe(bookworm.inventory.configDigest);
    expect(docker.layers.map((l) => l.digest)).toEqual(bookworm.inventory.layers.map((l) => l.diffId));
    expect(byLayerIndex(docker)).toEqual(want);
  });

  it('honours the opaque whiteout of bookworm-opaque: 88 packages, not 107, all from layer 1', async () => {
    for (const ref of [`${oci}:bookworm-opaque`, `docker-archive:${testImagePath('bookworm-opaque-docker.tar')}`]) {
      const inv = (await analyzeImage(ref)).inventory;
      expect(inv.layers).toHaveLength(4);
      expect(inv.packages).toHaveLength(88);
      expect(new Map(inv.packages.map((p) => [p.name, p.version]))).toEqual(statusVersions('bookworm.layer1.dpkg-status'));
      expect(inv.packages.find((p) => p.name === 'curl')).toBeUndefined();
      expect(new Set(inv.packages.map((p) => p.layer))).toEqual(new Set([inv.layers[0]!.digest]));
    }
  });

  it('reads the Alpine image: 26 apk packages, Alpine 3.14.0, arm/v7', async () => {
    for (const ref of [`${oci}:alpine`, `docker-archive:${testImagePath('alpine-docker.tar')}`]) {
      const inv = (await analyzeImage(ref)).inventory;
      expect(inv.distribution).toMatchObject({ id: 'alpine', versionId: '3.14.0' });
      expect(inv.packages).toHaveLength(26);
      expect(inv.packages.every((p) => p.ecosystem === 'apk' && p.layer === inv.layers[0]!.digest)).toBe(true);
      const apkDb = readFileSync(testImagePath('alpine.final.apk-installed'), 'utf8');
      for (const p of inv.packages) expect(apkDb).toContain(`P:${p.name}\nV:${p.version}\n`);
      expect(inv.packages.find((p) => p.name === 'busybox')?.purl).toMatch(/^pkg:apk\/alpine\/busybox@1\.33\.[\d.]+-r\d+\?arch=armv7&distro=alpine-3\.14\.0$/);
    }
  });

  it.skipIf(skopeoMissing())('reads zstd layers written by skopeo (--dest-compress-format zstd)', async () => {
    const dir = join(tempDir(), 'zstd');
    execFileSync('skopeo', ['copy', '--quiet', '--dest-compress', '--dest-compress-format', 'zstd', `${oci}:alpine`, `oci:${dir}:alpine-zstd`]);
    const inv = (await analyzeImage(`oci:${dir}:alpine-zstd`)).inventory;
    expect(inv.layers.map((l) => l.mediaType)).toEqual(['application/vnd.oci.image.layer.v1.tar+zstd', 'application/vnd.oci.image.layer.v1.tar+zstd']);
    const gz = (await analyzeImage(`${oci}:alpine`)).inventory;
    expect(inv.packages.map((p) => [p.name, p.version])).toEqual(gz.packages.map((p) => [p.name, p.version]));
    expect(inv.packages).toHaveLength(26);
  });

  it.skipIf(testImagesMissing('rootfs-base/var/lib/dpkg/status'))('reads a dir: root filesystem as one pseudo-layer', async () => {
    const inv = (await analyzeImage(`dir:${testImagePath('rootfs-base')}`)).inventory;
    expect(inv.digestKind).toBe('rootfs');
    expect(inv.packages).toHaveLength(88);
    expect(inv.layers).toHaveLength(1);
  });

  it('indexes the bookworm image within a bounded CPU budget, and from the layer cache with almost none', async () => {
    // CPU time, not wall time: CI shares 2 cores with every other suite. process.cpuUsage counts
    // the libuv threads that gunzip the layers too.
    const cpu0 = process.cpuUsage();
    await analyzeImage(`${oci}:bookworm`);
    const c = process.cpuUsage(cpu0);
    const ms = (c.user + c.system) / 1000;
    const cacheDir = tempDir('vigil-layer-cache-');
    await analyzeImage(`${oci}:bookworm`, { cacheDir });
    const cpu1 = process.cpuUsage();
    const warm = await analyzeImage(`${oci}:bookworm`, { cacheDir });
    const c2 = process.cpuUsage(cpu1);
    const warmMs = (c2.user + c2.system) / 1000;
    console.info(`index of bookworm (oci): ${ms.toFixed(0)} ms CPU; from the layer cache: ${warmMs.toFixed(0)} ms CPU`);
    expect(warm.inventory).toEqual(bookworm.inventory);
    expect(ms).toBeLessThan(3000);
    expect(warmMs).toBeLessThan(500);
  });
});
