import { existsSync, readdirSync, writeFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { endTar, gzLayer, gzip, hasZstd, makeTar, rawTarEntry, tempDir, writeOciLayout, zstd, type LayoutLayer } from '../../../../test/image/fixtures.js';
import { openImage } from '../fetch/index.js';
import { unpackImage, type UnpackOptions } from './index.js';

const WANTS = [
  { pattern: 'var/lib/dpkg/status', maxBytes: 1 << 20 },
  { pattern: 'etc/os-release', maxBytes: 1 << 16 },
  { pattern: 'usr/lib/os-release', maxBytes: 1 << 16 },
  { pattern: '**/node_modules/*/package.json', maxBytes: 1 << 16 },
];

async function unpack(layers: LayoutLayer[], options: UnpackOptions = {}) {
  const dir = tempDir();
  writeOciLayout(dir, layers);
  const src = await openImage(`oci:${dir}:test`);
  try {
    return await unpackImage(src, WANTS, options);
  } finally {
    await src.close();
  }
}

async function failure(layers: LayoutLayer[], options: UnpackOptions = {}): Promise<{ code?: string; message: string }> {
  try {
    await unpack(layers, options);
  } catch (e) {
    return e as { code?: string; message: string };
  }
  throw new Error('expected a failure');
}

describe('unpackImage', () => {
  it('applies whiteouts and keeps each wanted file with the layer that last wrote it', async () => {
    const img = await unpack([
      await gzLayer([
        { name: 'etc/', type: 'directory' },
        { name: 'etc/os-release', content: 'ID=debian\n' },
        { name: 'etc/motd', content: 'hi' },
        { name: 'var/lib/dpkg/status', content: 'v1' },
      ]),
      await gzLayer([{ name: 'var/lib/dpkg/status', content: 'v2' }]),
      await gzLayer([{ name: 'etc/.wh.motd', content: '' }, { name: './etc/.wh.os-release', content: '' }]),
    ]);
    expect(img.views.map((v) => v.get('var/lib/dpkg/status')?.content.toString())).toEqual(['v1', 'v2', 'v2']);
    expect(img.readFile('var/lib/dpkg/status')?.layer).toBe(1);
    expect(img.readFile('etc/os-release')).toBeUndefined();
    expect(img.tree.find('etc/motd')).toBeUndefined();
    expect(img.tree.find('etc')).toBeDefined();
  });

  it('hides lower layers under an opaque directory but not files of the same layer', async () => {
    const img = await unpack([
      await gzLayer([
        { name: 'app/node_modules/a/package.json', content: '{"name":"a","version":"1.0.0"}' },
        { name: 'app/node_modules/b/package.json', content: '{"name":"b","version":"1.0.0"}' },
      ]),
      await gzLayer([
        { name: 'app/node_modules/c/package.json', content: '{"name":"c","version":"1.0.0"}' },
        { name: 'app/node_modules/.wh..wh..opq', content: '' },
      ]),
    ]);
    expect([...img.views[1]!.keys()].sort()).toEqual(['app/node_modules/c/package.json']);
    expect([...img.views[0]!.keys()].sort()).toEqual(['app/node_modules/a/package.json', 'app/node_modules/b/package.json']);
  });

  it('follows symlinks inside the root only, clamping .. and absolute targets at the image root', async () => {
    const img = await unpack([
      await gzLayer([
        { name: 'usr/lib/os-release', content: 'ID=alpine\n' },
        { name: 'etc/os-release', type: 'symlink', linkname: '../../../../usr/lib/os-release' },
        { name: 'etc/abs', type: 'symlink', linkname: '/usr/lib/os-release' },
        { name: 'etc/out', type: 'symlink', linkname: '/../../../etc/shadow' },
        { name: 'loop/a', type: 'symlink', linkname: 'b' },
        { name: 'loop/b', type: 'symlink', linkname: 'a' },
      ]),
    ]);
    expect(img.readFile('etc/os-release')?.content.toString()).toBe('ID=alpine\n');
    expect(img.tree.resolve('etc/abs', 'x')?.path).toBe('usr/lib/os-release');
    expect(img.tree.resolve('etc/out', 'x')).toBeUndefined();
    expect(() => img.tree.resolve('loop/a', 'x')).toThrow(expect.objectContaining({ code: 'IMG_SYMLINK_LOOP' }));
  });

  it('reads a wanted file through a hard link of the same layer', async () => {
    const img = await unpack([
      await gzLayer([
        { name: 'opt/status.real', content: 'x' },
        { name: 'usr/lib/os-release', content: 'ID=debian\n' },
        { name: 'etc/os-release', type: 'link', linkname: 'usr/lib/os-release' },
      ]),
    ]);
    expect(img.readFile('etc/os-release')?.content.toString()).toBe('ID=debian\n');
  });

  it('reads plain tar and zstd layers, detected from their bytes not their media type', async () => {
    const tar = await makeTar([{ name: 'var/lib/dpkg/status', content: 'plain' }]);
    const plain = await unpack([{ tar, blob: tar, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' }]);
    expect(plain.readFile('var/lib/dpkg/status')?.content.toString()).toBe('plain');
    if (hasZstd()) {
      const z = await makeTar([{ name: 'var/lib/dpkg/status', content: 'zstd!' }]);
      const img = await unpack([{ tar: z, blob: zstd(z), mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd' }]);
      expect(img.readFile('var/lib/dpkg/status')?.content.toString()).toBe('zstd!');
    }
  });

  it('refuses an entry whose name climbs out of the root, naming layer and entry', async () => {
    const tar = endTar(rawTarEntry('../../etc/cron.d/x', Buffer.from('boom')));
    const e = await failure([{ tar, blob: gzip(tar) }]);
    expect(e.code).toBe('IMG_LAYER_UNSAFE_PATH');
    expect(e.message).toMatch(/layer 1 sha256:[0-9a-f]{64}: entry "..\/..\/etc\/cron.d\/x"/);
  });

  it('normalises absolute entry names into the image root', async () => {
    const tar = endTar(rawTarEntry('/var/lib/dpkg/status', Buffer.from('abs')));
    const img = await unpack([{ tar, blob: gzip(tar) }]);
    expect(img.readFile('var/lib/dpkg/status')?.content.toString()).toBe('abs');
  });

  it('refuses a hard link that points out of the root', async () => {
    const tar = endTar(rawTarEntry('etc/os-release', Buffer.alloc(0), '1', '../../../etc/passwd'));
    expect((await failure([{ tar, blob: gzip(tar) }])).code).toBe('IMG_LAYER_UNSAFE_PATH');
  });

  it('reports truncated gzip, tar and zstd layers as IMG_LAYER_CORRUPT', async () => {
    const l = await gzLayer([{ name: 'var/lib/dpkg/status', content: 'x'.repeat(5000) }]);
    // The blob is stored truncated under the digest of the truncated bytes: the digest passes, the data does not.
    const cut = l.blob.subarray(0, l.blob.length - 30);
    expect((await failure([{ tar: l.tar, blob: cut }])).code).toBe('IMG_LAYER_CORRUPT');
    const tarCut = l.tar.subarray(0, 700);
    expect((await failure([{ tar: tarCut, blob: tarCut }])).code).toBe('IMG_LAYER_CORRUPT');
    const garbage = Buffer.from('this is not a tar file at all, just text'.repeat(20));
    expect((await failure([{ tar: garbage, blob: garbage }])).code).toBe('IMG_LAYER_CORRUPT');
    if (hasZstd()) {
      const z = zstd(l.tar);
      const zc = z.subarray(0, z.length - 10);
      expect((await failure([{ tar: l.tar, blob: zc }])).code).toBe('IMG_LAYER_CORRUPT');
    }
  });

  it('fails with IMG_DIGEST_MISMATCH when a blob was altered on disk', async () => {
    const dir = tempDir();
    const l = await gzLayer([{ name: 'var/lib/dpkg/status', content: 'abc' }]);
    const { layerDigests } = writeOciLayout(dir, [l]);
    const p = join(dir, 'blobs', 'sha256', layerDigests[0]!.slice(7));
    const tampered = Buffer.from(l.blob);
    tampered[tampered.length - 1] ^= 1;
    writeFileSync(p, tampered);
    const src = await openImage(`oci:${dir}`);
    await expect(unpackImage(src, WANTS)).rejects.toMatchObject({ code: 'IMG_DIGEST_MISMATCH' });
  });

  it('stops a decompression bomb with IMG_LAYER_BOMB', async () => {
    const tar = endTar(rawTarEntry('zeros', Buffer.alloc(8 * 1024 * 1024)));
    const e = await failure([{ tar, blob: gzip(tar) }], { limits: { ratioFloorBytes: 1024 * 1024, maxRatio: 100 } });
    expect(e.code).toBe('IMG_LAYER_BOMB');
    const e2 = await failure([{ tar, blob: gzip(tar) }], { limits: { maxLayerBytes: 4 * 1024 * 1024 } });
    expect(e2.code).toBe('IMG_LAYER_BOMB');
  });

  it('refuses a wanted file over its size limit with IMG_ENTRY_TOO_LARGE', async () => {
    const e = await failure([await gzLayer([{ name: 'etc/os-release', content: 'x'.repeat(70_000) }])]);
    expect(e.code).toBe('IMG_ENTRY_TOO_LARGE');
    expect(e.message).toContain('etc/os-release');
  });

  it('skips huge unwanted entries without reading them into memory', async () => {
    const before = process.memoryUsage().rss;
    const tar = endTar(rawTarEntry('big.bin', Buffer.alloc(64 * 1024 * 1024)), rawTarEntry('var/lib/dpkg/status', Buffer.from('ok')));
    const img = await unpack([{ tar, blob: gzip(tar) }]);
    expect(img.readFile('var/lib/dpkg/status')?.content.toString()).toBe('ok');
    expect(process.memoryUsage().rss - before).toBeLessThan(400 * 1024 * 1024);
  });

  it('reads a dir: rootfs without following links out of it', async () => {
    const root = tempDir();
    const outside = tempDir();
    writeFileSync(join(outside, 'status'), 'secret');
    mkdirSync(join(root, 'var/lib/dpkg'), { recursive: true });
    mkdirSync(join(root, 'etc'));
    symlinkSync(join(outside, 'status'), join(root, 'var/lib/dpkg/status'));
    writeFileSync(join(root, 'etc/os-release'), 'ID=debian\n');
    const src = await openImage(`dir:${root}`);
    const img = await unpackImage(src, WANTS);
    expect(img.readFile('var/lib/dpkg/status')).toBeUndefined();
    expect(img.readFile('etc/os-release')?.content.toString()).toBe('ID=debian\n');
    expect(img.layers).toHaveLength(1);
    expect(img.digest).toMatch(/^sha256:/);
    expect(existsSync(outside) && readdirSync(outside)).toEqual(['status']);
  });
});

describe('layer cache', () => {
  it('reuses verified layer scans by digest and ignores corrupt entries', async () => {
    const { readdirSync: ls, rmSync } = await import('node:fs');
    const dir = tempDir();
    const cacheDir = tempDir();
    const { layerDigests } = writeOciLayout(dir, [await gzLayer([{ name: 'var/lib/dpkg/status', content: 'cached' }])]);
    const first = await unpackImage(await openImage(`oci:${dir}`), WANTS, { cacheDir });
    expect(first.readFile('var/lib/dpkg/status')?.content.toString()).toBe('cached');
    const entries = ls(join(cacheDir, 'layer-v1'));
    expect(entries).toHaveLength(1);
    // A warm run reads no layer bytes: it works even once the blob is gone.
    rmSync(join(dir, 'blobs', 'sha256', layerDigests[0]!.slice(7)));
    const warm = await unpackImage(await openImage(`oci:${dir}`), WANTS, { cacheDir });
    expect(warm.readFile('var/lib/dpkg/status')?.content.toString()).toBe('cached');
    // A damaged entry is a miss (and the missing blob then surfaces).
    writeFileSync(join(cacheDir, 'layer-v1', entries[0]!), 'garbage');
    await expect(unpackImage(await openImage(`oci:${dir}`), WANTS, { cacheDir })).rejects.toMatchObject({ code: 'IMG_INPUT_NOT_FOUND' });
  });
});

describe('cancellation and odd entries', () => {
  it('stops quickly with an AbortError when the signal fires mid-layer', async () => {
    const tar = endTar(rawTarEntry('big.bin', Buffer.alloc(48 * 1024 * 1024, 1)), rawTarEntry('var/lib/dpkg/status', Buffer.from('x')));
    const dir = tempDir();
    writeOciLayout(dir, [{ tar, blob: gzip(tar) }]);
    const ac = new AbortController();
    const events: string[] = [];
    const p = unpackImage(await openImage(`oci:${dir}`), WANTS, { signal: ac.signal, onProgress: (e) => events.push(e.phase) });
    setTimeout(() => ac.abort(), 5);
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(events).toEqual([]);
  });

  it('skips GNU sparse and device entries without reading their apparent size', async () => {
    const sparse = rawTarEntry('var/lib/huge.img', Buffer.alloc(512), 'S');
    const fifo = rawTarEntry('dev/fifo', Buffer.alloc(0), '6');
    const tar = endTar(sparse, fifo, rawTarEntry('var/lib/dpkg/status', Buffer.from('after')));
    const img = await unpack([{ tar, blob: gzip(tar) }]);
    expect(img.readFile('var/lib/dpkg/status')?.content.toString()).toBe('after');
    expect(img.tree.find('var/lib/huge.img')?.type).toBe('other');
  });
});
