/**
 * Single-pattern search used by content evaluation. Case-sensitive search uses the native
 * Buffer.indexOf; case-insensitive search uses a Horspool skip table over case-folded bytes.
 * Compiled once per content at load time; searching allocates nothing.
 */

/** ASCII case-folding table: byte -> lower-case byte. */
export const FOLD = (() => {
  const t = new Uint8Array(256);
  for (let i = 0; i < 256; i++) t[i] = i >= 0x41 && i <= 0x5a ? i + 32 : i;
  return t;
})();

export interface CompiledPattern {
  /** Pattern bytes (lower-cased when nocase). */
  readonly bytes: Buffer;
  readonly nocase: boolean;
  /** Horspool shift per (folded) byte, for nocase search. */
  readonly skip: Uint16Array | undefined;
}

/**
 * Precompiles a content pattern (lower-cased with a Horspool table when nocase).
 *
 * @example
 * findPattern(compilePattern(Buffer.from('GET'), true), Buffer.from('xget'), 0, 4); // 1
 */
export function compilePattern(pattern: Uint8Array, nocase: boolean): CompiledPattern {
  const bytes = Buffer.from(nocase ? pattern.map((b) => FOLD[b]!) : pattern);
  let skip: Uint16Array | undefined;
  if (nocase) {
    const n = bytes.length;
    skip = new Uint16Array(256).fill(Math.min(n, 65535));
    for (let i = 0; i < n - 1; i++) {
      const s = n - 1 - i;
      const b = bytes[i]!;
      skip[b] = s;
      // Both cases of a letter get the shift, since the haystack is folded on the fly.
      if (b >= 0x61 && b <= 0x7a) skip[b - 32] = s;
    }
  }
  return { bytes, nocase, skip };
}

/**
 * First index i in [start, end - n] where the pattern occurs in hay (so the match ends by `end`), or -1.
 */
export function findPattern(p: CompiledPattern, hay: Buffer, start: number, end: number): number {
  const n = p.bytes.length;
  if (start < 0) start = 0;
  if (end > hay.length) end = hay.length;
  if (end - start < n) return -1;
  if (n === 0) return start;
  if (!p.nocase) {
    const i = hay.indexOf(p.bytes, start);
    return i >= 0 && i + n <= end ? i : -1;
  }
  const pat = p.bytes;
  const skip = p.skip!;
  const last = n - 1;
  const lastByte = pat[last]!;
  let i = start;
  const limit = end - n;
  while (i <= limit) {
    const c = FOLD[hay[i + last]!]!;
    if (c === lastByte) {
      let j = last - 1;
      while (j >= 0 && FOLD[hay[i + j]!] === pat[j]) j--;
      if (j < 0) return i;
    }
    i += skip[hay[i + last]!]!;
  }
  return -1;
}
