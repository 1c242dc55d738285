import { describe, expect, it } from 'vitest';
import { compileMatcher, FOLD, type PatternInput } from './multi-pattern.js';

/** A small deterministic PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

function naive(patterns: readonly PatternInput[], data: Uint8Array): number[] {
  const found = new Set<number>();
  for (const p of patterns) {
    if (p.bytes.length === 0) continue;
    outer: for (let i = 0; i + p.bytes.length <= data.length; i++) {
      for (let j = 0; j < p.bytes.length; j++) if (FOLD[data[i + j]!] !== FOLD[p.bytes[j]!]) continue outer;
      found.add(p.id);
      break;
    }
  }
  return [...found].sort((a, b) => a - b);
}

function run(m: ReturnType<typeof compileMatcher>, data: Uint8Array): number[] {
  const ids: number[] = [];
  m.scan(data, (id) => ids.push(id));
  return ids.sort((a, b) => a - b);
}

describe('compileMatcher', () => {
  it('finds overlapping, nested and case-folded patterns', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    const patterns = [
      { bytes: enc('he'), id: 0 },
      { bytes: enc('she'), id: 1 },
      { bytes: enc('HIS'), id: 2 },
      { bytes: enc('hers'), id: 3 },
      { bytes: enc('zzz'), id: 4 },
    ];
    for (const maxDfaCells of [0, 1 << 20]) {
      const m = compileMatcher(patterns, { maxDfaCells });
      expect(m.dense).toBe(maxDfaCells > 0);
      expect(run(m, enc('uSHErs'))).toEqual([0, 1, 3]);
      expect(run(m, enc('this'))).toEqual([2]);
      expect(run(m, enc('zz'))).toEqual([]);
    }
  });

  it('reports each id once per scan even when it occurs many times', () => {
    const m = compileMatcher([{ bytes: Uint8Array.of(0x41), id: 7 }]);
    expect(run(m, new Uint8Array(100).fill(0x61))).toEqual([7]);
    expect(run(m, new Uint8Array(10).fill(0x61))).toEqual([7]);
  });

  it('agrees with a naive search on random patterns and data (dense, sparse and mixed rows)', () => {
    const r = rng(12345);
    for (let round = 0; round < 60; round++) {
      // A small alphabet makes overlaps and failure transitions frequent.
      const alphabet = round % 2 === 0 ? [0x61, 0x62, 0x41, 0x00, 0xff] : [...Array(256).keys()];
      const pick = () => alphabet[Math.floor(r() * alphabet.length)]!;
      const patterns: PatternInput[] = [];
      const count = 1 + Math.floor(r() * 40);
      for (let i = 0; i < count; i++) {
        const len = 1 + Math.floor(r() * 6);
        patterns.push({ bytes: Uint8Array.from({ length: len }, pick), id: Math.floor(r() * count) });
      }
      const data = Uint8Array.from({ length: Math.floor(r() * 400) }, pick);
      const want = naive(patterns, data);
      expect(run(compileMatcher(patterns), data)).toEqual(want);
      expect(run(compileMatcher(patterns, { maxDfaCells: 0 }), data)).toEqual(want);
      // Dense rows for the shallow states only, sparse rows below them.
      const mixed = compileMatcher(patterns, { maxDfaCells: 40 });
      expect(run(mixed, data)).toEqual(want);
      expect(mixed.denseStates).toBeLessThanOrEqual(mixed.stateCount);
    }
  });

  it('ignores empty patterns', () => {
    const m = compileMatcher([{ bytes: new Uint8Array(0), id: 0 }]);
    expect(run(m, Uint8Array.of(1, 2, 3))).toEqual([]);
  });
});
