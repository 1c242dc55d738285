import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../core/errors.js';
import { gzLayer, makeTar, sha256, tempDir, writeOciLayout } from '../../../../test/image/fixtures.js';
import { openImage } from './index.js';
import { indexTarFile } from './tar-index.js';

/** A docker save archive with one uncompressed layer, built in the test. */
async function dockerArchive(mutate?: (files: { name: string; content: Buffer }[]) => void): Promise<string> {
  const layer = await makeTar([{ name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' }]);
  const diffId = sha256(layer);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [diffId] } }));
  const cfgName = `${sha256(config).slice(7)}.json`;
  const files = [
    { name: 'manifest.json', content: Buffer.from(JSON.stringify([{ Config: cfgName, RepoTags: ['test/x:1'], Layers: [`${diffId.slice(7)}.tar`] }])) },
    { name: cfgName, content: config },
    { name: `${diffId.slice(7)}.tar`, content: layer },
  ];
  mutate?.(files);
  const p = join(tempDir(), 'img.tar');
  writeFileSync(p, await makeTar(files.map((f) => ({ name: f.name, content: f.content }))));
  return p;
}

async function code(p: Promise<unknown>): Promise<string | undefined> {
  try {
    const src = (await p) as { close(): Promise<void> };
    await src.close();
  } catch (e) {
    if (isAppError(e)) return e.code;
    throw e;
  }
  return undefined;
}

describe('archives and layouts', () => {
  it('opens a docker archive by default, by repo:tag and by @index, keyed by the config digest', async () => {
    const p = await dockerArchive();
    for (const ref of [`docker-archive:${p}`, `docker-archive:${p}:test/x:1`, `docker-archive:${p}:@0`]) {
      const src = await openImage(ref);
      expect(src.digestKind).toBe('config');
      expect(src.layers).toHaveLength(1);
      await src.close();
    }
    expect(await code(openImage(`docker-archive:${p}:other:2`))).toBe('IMG_TAG_NOT_FOUND');
  });

  it('refuses a docker archive whose layer does not hash to its diff_id', async () => {
    const p = await dockerArchive((files) => {
      const l = files[2]!;
      l.content = Buffer.from(l.content);
      l.content[600] = 0x41;
    });
    const src = await openImage(`docker-archive:${p}`);
    const { unpackImage } = await import('../unpack/index.js');
    await expect(unpackImage(src, [{ pattern: 'etc/os-release', maxBytes: 1000 }])).rejects.toMatchObject({ code: 'IMG_DIGEST_MISMATCH' });
    await src.close();
  });

  it('reports missing members, bad manifest.json and truncated archives', async () => {
    expect(await code(openImage(`docker-archive:${await dockerArchive((f) => f.splice(2, 1))}`))).toBe('IMG_ARCHIVE_CORRUPT');
    expect(await code(openImage(`docker-archive:${await dockerArchive((f) => (f[0]!.content = Buffer.from('{')))}`))).toBe('IMG_MANIFEST_INVALID');
    const p = await dockerArchive();
    const { readFileSync } = await import('node:fs');
    const cut = join(tempDir(), 'cut.tar');
    writeFileSync(cut, readFileSync(p).subarray(0, 1500));
    expect(await code(openImage(`docker-archive:${cut}`))).toBe('IMG_ARCHIVE_CORRUPT');
    expect(await code(openImage(`docker-archive:/nonexistent/x.tar`))).toBe('IMG_INPUT_NOT_FOUND');
  });

  it('reports a malformed index.json, an unknown tag and a missing blob in an OCI layout', async () => {
    const dir = tempDir();
    const { manifestDigest } = writeOciLayout(dir, [await gzLayer([{ name: 'a', content: 'b' }])], { tag: 'v1' });
    expect(await code(openImage(`oci:${dir}:v2`))).toBe('IMG_TAG_NOT_FOUND');
    writeFileSync(join(dir, 'blobs', 'sha256', manifestDigest.slice(7)), '{"schemaVersion":2}');
    expect(await code(openImage(`oci:${dir}:v1`))).toBe('IMG_DIGEST_MISMATCH');
    writeFileSync(join(dir, 'index.json'), '{"schemaVersion":2,"manifests":[{"digest":"sha256:../../x","size":1}]}');
    expect(await code(openImage(`oci:${dir}`))).toBe('IMG_DIGEST_INVALID');
    writeFileSync(join(dir, 'index.json'), 'not json');
    expect(await code(openImage(`oci:${dir}`))).toBe('IMG_MANIFEST_INVALID');
    const empty = tempDir();
    mkdirSync(join(empty, 'blobs'));
    expect(await code(openImage(`oci:${empty}`))).toBe('IMG_INPUT_NOT_FOUND');
  });

  it('never throws anything but AppError when indexing mutated archives (fuzz)', async () => {
    const { readFileSync } = await import('node:fs');
    const base = readFileSync(await dockerArchive());
    const dir = tempDir();
    let seed = 5;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed / 0x7fffffff);
    for (let n = 0; n < 150; n++) {
      const b = Buffer.from(base);
      for (let k = 0; k < 1 + Math.floor(rnd() * 6); k++) b[Math.floor(rnd() * Math.min(b.length, 4096))] = Math.floor(rnd() * 256);
      const p = join(dir, `f${n}.tar`);
      writeFileSync(p, n % 3 === 0 ? b.subarray(0, Math.floor(rnd() * b.length)) : b);
      try {
        const idx = await indexTarFile(p, 'fuzz');
        await idx.close();
        const src = await openImage(`docker-archive:${p}`);
        await src.close();
      } catch (e) {
        expect(isAppError(e), String(e)).toBe(true);
      }
    }
  });
});
