import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../../core/errors.js';
import { RPMTAG, RPM_TYPE, parseRpmHeader } from './rpm-header.js';
import { BASH_HEADER, buildHeaderBlob } from './testdata/rpm-header-builder.js';

describe('RPM header decoder', () => {
  it('decodes strings, i18n strings, int32, int64 and binary tags', () => {
    const h = parseRpmHeader(buildHeaderBlob(BASH_HEADER), 'test');
    expect(h.string(RPMTAG.NAME)).toBe('bash');
    expect(h.string(RPMTAG.GROUP)).toBe('Unspecified');
    expect(h.number(RPMTAG.EPOCH)).toBe(1);
    expect(h.number(RPMTAG.LONGSIZE)).toBe(8123456);
    expect(h.tags.get(1116)).toEqual([1, 2, 3]);
    expect(Array.from(h.tags.get(5092) as Uint8Array)).toEqual([1, 2, 3, 4]);
    expect(h.string(RPMTAG.VENDOR)).toBe('Fedora Project');
    expect(h.number(9999)).toBeNull();
  });

  it('rejects truncated blobs and out-of-range entries with an AppError naming the offset', () => {
    const blob = buildHeaderBlob(BASH_HEADER);
    for (const bad of [blob.subarray(0, 5), blob.subarray(0, blob.length - 3)]) {
      expect(() => parseRpmHeader(bad, 'db hnum 7')).toThrowError(/db hnum 7: corrupt RPM header at byte \d+/);
    }
    const wild = Buffer.from(blob);
    wild.writeInt32BE(0x7fffffff, 8 + 16 + 8); // second entry's offset
    expect(() => parseRpmHeader(wild, 'x')).toThrowError(/outside the/);
    const unterminated = buildHeaderBlob([{ tag: RPMTAG.NAME, type: RPM_TYPE.BIN, value: Buffer.from('abc') }]);
    unterminated.writeUInt32BE(RPM_TYPE.STRING, 12);
    unterminated.writeUInt32BE(1, 20);
    expect(() => parseRpmHeader(unterminated, 'x')).toThrowError(/runs past the end/);
  });

  it('never throws anything but AppError on mutated and random blobs', () => {
    const base = buildHeaderBlob(BASH_HEADER);
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 3000; i++) {
      const b = i % 10 === 0 ? Buffer.from(Array.from({ length: rnd(200) }, () => rnd(256))) : Buffer.from(base);
      for (let k = 0; k < 1 + rnd(6); k++) if (b.length > 0) b[rnd(b.length)] = rnd(256);
      try {
        parseRpmHeader(b.subarray(0, i % 7 === 0 ? rnd(b.length + 1) : b.length), 'fuzz');
      } catch (e) {
        expect(isAppError(e), String(e)).toBe(true);
      }
    }
  });
});
