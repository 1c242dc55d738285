import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../core/errors.js';
import { endTar, gzip, makeTar, rawTarEntry } from '../../../../test/image/fixtures.js';
import { compileWanted } from './glob.js';
import { DEFAULT_SCAN_LIMITS } from './index.js';
import { scanLayer } from './layer-scan.js';

const wantAll = compileWanted([{ pattern: '**/*', maxBytes: 1 << 20 }, { pattern: '*', maxBytes: 1 << 20 }]);

function scan(bytes: Buffer, chunk = 7919) {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) parts.push(bytes.subarray(i, i + chunk));
  return scanLayer(Readable.from(parts), 0, 'test layer', wantAll, DEFAULT_SCAN_LIMITS, { used: 0 });
}

describe('tar reader', () => {
  it('reads names longer than 100 bytes from pax headers and GNU long-name entries', async () => {
    const long = 'usr/lib/' + 'x'.repeat(150) + '/METADATA';
    const pax = await scan(await makeTar([{ name: long, content: 'pax' }]));
    expect(pax.files.get(long)?.toString()).toBe('pax');
    const gnuLong = 'opt/' + 'y'.repeat(200) + '/PKG-INFO';
    const gnu = await scan(endTar(rawTarEntry('././@LongLink', Buffer.from(gnuLong + '\0'), 'L'), rawTarEntry('truncated-name', Buffer.from('gnu'))));
    expect(gnu.files.get(gnuLong)?.toString()).toBe('gnu');
  });

  it('gives the same result whatever the chunking of the stream', async () => {
    const tar = await makeTar([
      { name: 'a/', type: 'directory' },
      { name: 'a/one', content: 'x'.repeat(1000) },
      { name: 'a/link', type: 'symlink', linkname: 'one' },
      { name: 'a/two', content: 'y'.repeat(513) },
    ]);
    for (const chunk of [1, 511, 512, 513, 4096, tar.length]) {
      const s = await scan(tar, chunk);
      expect(s.entries.map((e) => `${e.type}:${e.path}:${e.linkname ?? ''}`)).toEqual(['directory:a:', 'file:a/one:', 'symlink:a/link:one', 'file:a/two:']);
      expect(s.files.get('a/two')?.length).toBe(513);
    }
  });

  it('reports a bad header checksum with the byte offset', async () => {
    const tar = endTar(rawTarEntry('a', Buffer.from('1')), rawTarEntry('b', Buffer.from('2')));
    tar[1024 + 10] ^= 0xff; // inside the second header's name
    await expect(scan(tar)).rejects.toMatchObject({ code: 'IMG_LAYER_CORRUPT', message: expect.stringMatching(/byte 1024 near entry "a": bad tar header checksum/) });
  });

  it('never throws anything but AppError on mutated or truncated layers (fuzz)', async () => {
    const base = await makeTar([
      { name: 'var/lib/dpkg/status', content: 'Package: a\nVersion: 1\n\n' },
      { name: 'usr/lib/' + 'z'.repeat(120) + '/METADATA', content: 'Name: x\nVersion: 1\n' },
      { name: 'etc/.wh.motd', content: '' },
      { name: 'lib/x', type: 'symlink', linkname: '../../..' },
    ]);
    const inputs: Buffer[] = [];
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed / 0x7fffffff);
    for (let n = 0; n < 400; n++) {
      const b = Buffer.from(base);
      const edits = 1 + Math.floor(rnd() * 8);
      for (let k = 0; k < edits; k++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
      inputs.push(n % 3 === 0 ? b.subarray(0, Math.floor(rnd() * b.length)) : b);
    }
    const gz = gzip(base);
    for (let n = 0; n < 100; n++) {
      const b = Buffer.from(gz);
      b[10 + Math.floor(rnd() * (b.length - 10))] = Math.floor(rnd() * 256);
      inputs.push(n % 2 === 0 ? b : b.subarray(0, Math.floor(rnd() * b.length)));
    }
    let failed = 0;
    for (const input of inputs) {
      try {
        await scan(input, 1 + Math.floor(rnd() * 2048));
      } catch (e) {
        failed++;
        expect(isAppError(e), String(e)).toBe(true);
      }
    }
    expect(failed).toBeGreaterThan(50);
  });
});
