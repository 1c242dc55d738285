import { describe, expect, it } from 'vitest';
import { AddressIndex } from './address-index.js';

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

/** Sorted, merged ranges like AddressSet.v4Ranges. */
function randomRanges(r: () => number, around: number[]): Uint32Array {
  const pairs: [number, number][] = [];
  const n = 1 + Math.floor(r() * 5);
  for (let i = 0; i < n; i++) {
    const base = around[Math.floor(r() * around.length)]! + Math.floor(r() * 64) - 32;
    const s = Math.max(0, Math.min(0xffffffff, base));
    const e = Math.min(0xffffffff, s + Math.floor(r() * 20));
    pairs.push([s, e]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const p of pairs) {
    const last = merged[merged.length - 1];
    if (last && p[0] <= last[1] + 1) last[1] = Math.max(last[1], p[1]);
    else merged.push([p[0], p[1]]);
  }
  return Uint32Array.from(merged.flat());
}

function linear(sets: Uint32Array[], ip: number): number[] {
  const out: number[] = [];
  sets.forEach((ranges, item) => {
    for (let i = 0; i < ranges.length; i += 2) {
      if (ip >= ranges[i]! && ip <= ranges[i + 1]!) {
        out.push(item);
        return;
      }
    }
  });
  return out;
}

describe('AddressIndex', () => {
  it('finds the items covering an address, including the edges of the address space', () => {
    const idx = new AddressIndex();
    idx.add(0, Uint32Array.of(0x0a000000, 0x0affffff));
    idx.add(1, Uint32Array.of(0, 0, 0xffffffff, 0xffffffff));
    idx.add(2, Uint32Array.of(0x0a010203, 0x0a010203));
    idx.build();
    const at = (ip: number) => {
      const out: number[] = [];
      idx.lookup(ip, (i) => out.push(i));
      return out.sort();
    };
    expect(at(0x0a010203)).toEqual([0, 2]);
    expect(at(0x0a010204)).toEqual([0]);
    expect(at(0)).toEqual([1]);
    expect(at(0xffffffff)).toEqual([1]);
    expect(at(0x0b000000)).toEqual([]);
  });

  it('agrees with a linear scan of every list on random sets and addresses', () => {
    const r = rng(99);
    for (let round = 0; round < 30; round++) {
      const around = [0, 0xffffffff, 0x0a000000, 0xc0a80000, Math.floor(r() * 0xffffffff)];
      const sets = Array.from({ length: 1 + Math.floor(r() * 50) }, () => randomRanges(r, around));
      const idx = new AddressIndex();
      sets.forEach((s, i) => idx.add(i, s));
      idx.build();
      for (let q = 0; q < 300; q++) {
        const base = around[Math.floor(r() * around.length)]!;
        const ip = Math.max(0, Math.min(0xffffffff, base + Math.floor(r() * 100) - 50));
        const got: number[] = [];
        idx.lookup(ip, (i) => got.push(i));
        expect(got.sort((a, b) => a - b)).toEqual(linear(sets, ip));
      }
    }
  });
});
