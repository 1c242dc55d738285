/**
 * Multi-pattern matcher: Aho-Corasick over case-folded bytes, compiled to typed arrays.
 *
 * Why this shape: rules are only *candidates* after this pass (each rule re-checks its own
 * contents with exact case and cursor semantics), so folding every pattern to lower case costs a
 * few extra candidates but halves the automaton and lets one pass serve nocase and exact patterns.
 *
 * The automaton is a full DFA (every state has a transition for every byte class) when it fits
 * the memory budget — one table load per input byte, no failure-link walks. Bigger pattern sets
 * fall back to sparse goto rows with failure links and a dense root row.
 */

/** One pattern to search for. `id` is returned on a match; several patterns may share an id. */
export interface PatternInput {
  readonly bytes: Uint8Array;
  readonly id: number;
}

/** Lower-case fold table for bytes (ASCII only, like Snort's nocase). */
export const FOLD = (() => {
  const t = new Uint8Array(256);
  for (let i = 0; i < 256; i++) t[i] = i >= 0x41 && i <= 0x5a ? i + 0x20 : i;
  return t;
})();

/** Default budget for the dense DFA table, in table cells (4 bytes each). */
const DEFAULT_DFA_CELLS = 4 * 1024 * 1024;

/**
 * A compiled multi-pattern matcher. `scan` reports each distinct pattern id found in the buffer once.
 *
 * @example
 * const m = compileMatcher([{ bytes: Buffer.from('GET '), id: 1 }, { bytes: Buffer.from('admin'), id: 2 }]);
 * const ids: number[] = [];
 * m.scan(Buffer.from('GET /Admin'), (id) => ids.push(id)); // ids = [1, 2]
 */
export interface Matcher {
  readonly patternCount: number;
  readonly stateCount: number;
  /** True when compiled as a dense DFA (else sparse with failure links). */
  readonly dense: boolean;
  /** Calls `onMatch(id)` once per distinct id present in `data` (case-insensitively). */
  scan(data: Uint8Array, onMatch: (id: number) => void): void;
}

interface Trie {
  // Per-state children as Map<byte, state> during build.
  children: Map<number, number>[];
  depth: number[];
  outputs: number[][];
}

/**
 * Compiles patterns into a matcher. Empty patterns are ignored (they would match everywhere;
 * callers treat such rules as having no fast pattern).
 */
export function compileMatcher(patterns: readonly PatternInput[], options: { maxDfaCells?: number } = {}): Matcher {
  const trie: Trie = { children: [new Map()], depth: [0], outputs: [[]] };
  let maxId = -1;
  for (const p of patterns) {
    if (p.bytes.length === 0) continue;
    let s = 0;
    for (let i = 0; i < p.bytes.length; i++) {
      const c = FOLD[p.bytes[i]!]!;
      let next = trie.children[s]!.get(c);
      if (next === undefined) {
        next = trie.children.length;
        trie.children.push(new Map());
        trie.depth.push(trie.depth[s]! + 1);
        trie.outputs.push([]);
        trie.children[s]!.set(c, next);
      }
      s = next;
    }
    const out = trie.outputs[s]!;
    if (!out.includes(p.id)) out.push(p.id);
    if (p.id > maxId) maxId = p.id;
  }
  const n = trie.children.length;
  // Breadth-first failure links.
  const fail = new Int32Array(n);
  const order: number[] = [0];
  for (let qi = 0; qi < order.length; qi++) {
    const s = order[qi]!;
    for (const [c, t] of trie.children[s]!) {
      order.push(t);
      if (s === 0) {
        fail[t] = 0;
        continue;
      }
      let f = fail[s]!;
      while (f !== 0 && !trie.children[f]!.has(c)) f = fail[f]!;
      const ft = trie.children[f]!.get(c);
      fail[t] = ft !== undefined && ft !== t ? ft : 0;
    }
  }
  // Merge dictionary-suffix outputs (in BFS order so fail[s] is final first).
  for (let qi = 1; qi < order.length; qi++) {
    const s = order[qi]!;
    const fo = trie.outputs[fail[s]!]!;
    if (fo.length > 0) {
      const out = trie.outputs[s]!;
      for (const id of fo) if (!out.includes(id)) out.push(id);
    }
  }
  // Flatten outputs.
  const outStart = new Int32Array(n + 1);
  let total = 0;
  for (let s = 0; s < n; s++) {
    outStart[s] = total;
    total += trie.outputs[s]!.length;
  }
  outStart[n] = total;
  const outIds = new Int32Array(total);
  for (let s = 0; s < n; s++) outIds.set(trie.outputs[s]!, outStart[s]!);

  // Byte classes: bytes that never appear in any pattern share class 0.
  const classOf = new Uint8Array(256);
  let classes = 1;
  const used = new Uint8Array(256);
  for (let s = 0; s < n; s++) for (const c of trie.children[s]!.keys()) used[c] = 1;
  const classForFolded = new Int32Array(256).fill(0);
  for (let c = 0; c < 256; c++) if (used[c]) classForFolded[c] = classes++;
  for (let b = 0; b < 256; b++) classOf[b] = classForFolded[FOLD[b]!]!;
  const seen = new Uint32Array(Math.max(0, maxId + 1));
  const maxCells = options.maxDfaCells ?? DEFAULT_DFA_CELLS;

  if (classes <= 256 && n * classes <= maxCells) {
    return buildDense(trie, order, fail, classOf, classes, outStart, outIds, seen, patterns.length);
  }
  return buildSparse(trie, fail, classOf, outStart, outIds, seen, patterns.length);
}

function buildDense(
  trie: Trie,
  order: number[],
  fail: Int32Array,
  classOf: Uint8Array,
  classes: number,
  outStart: Int32Array,
  outIds: Int32Array,
  seen: Uint32Array,
  patternCount: number,
): Matcher {
  const n = trie.children.length;
  // Map folded byte -> class for children lookups.
  const classByFolded = new Int32Array(256);
  for (let b = 0; b < 256; b++) classByFolded[FOLD[b]!] = classOf[b]!;
  const delta = new Int32Array(n * classes);
  // Each cell stores the next state pre-multiplied by `classes` (no multiply in the scan loop),
  // bit-inverted (negative) when that state has outputs, so the loop tests one sign per byte.
  const enc = (t: number): number => (outStart[t + 1]! > outStart[t]! ? ~(t * classes) : t * classes);
  for (const s of order) {
    const row = s * classes;
    if (s === 0) {
      for (const [c, t] of trie.children[0]!) delta[classByFolded[c]!] = enc(t);
      continue;
    }
    const frow = fail[s]! * classes;
    for (let k = 0; k < classes; k++) delta[row + k] = delta[frow + k]!;
    for (const [c, t] of trie.children[s]!) delta[row + classByFolded[c]!] = enc(t);
  }
  let generation = 0;
  return {
    patternCount,
    stateCount: n,
    dense: true,
    scan(data, onMatch) {
      generation = (generation + 1) >>> 0;
      if (generation === 0) {
        seen.fill(0);
        generation = 1;
      }
      const gen = generation;
      // Locals, not closure slots, in the per-byte loop.
      const d = delta;
      const cls = classOf;
      let s = 0;
      const len = data.length;
      for (let i = 0; i < len; i++) {
        const v = d[s + cls[data[i]!]!]!;
        if (v >= 0) {
          s = v;
        } else {
          s = ~v;
          const st = (s / classes) | 0;
          for (let k = outStart[st]!, e = outStart[st + 1]!; k < e; k++) {
            const id = outIds[k]!;
            if (seen[id] !== gen) {
              seen[id] = gen;
              onMatch(id);
            }
          }
        }
      }
    },
  };
}

function buildSparse(
  trie: Trie,
  fail: Int32Array,
  classOf: Uint8Array,
  outStart: Int32Array,
  outIds: Int32Array,
  seen: Uint32Array,
  patternCount: number,
): Matcher {
  void classOf;
  const n = trie.children.length;
  const tStart = new Int32Array(n + 1);
  let total = 0;
  for (let s = 0; s < n; s++) {
    tStart[s] = total;
    total += trie.children[s]!.size;
  }
  tStart[n] = total;
  const tByte = new Uint8Array(total);
  const tNext = new Int32Array(total);
  for (let s = 0; s < n; s++) {
    const entries = [...trie.children[s]!.entries()].sort((a, b) => a[0] - b[0]);
    let k = tStart[s]!;
    for (const [c, t] of entries) {
      tByte[k] = c;
      tNext[k] = t;
      k++;
    }
  }
  const root = new Int32Array(256);
  for (let b = 0; b < 256; b++) root[b] = trie.children[0]!.get(FOLD[b]!) ?? 0;
  const hasOut = new Uint8Array(n);
  for (let s = 0; s < n; s++) hasOut[s] = outStart[s + 1]! > outStart[s]! ? 1 : 0;
  let generation = 0;
  return {
    patternCount,
    stateCount: n,
    dense: false,
    scan(data, onMatch) {
      generation = (generation + 1) >>> 0;
      if (generation === 0) {
        seen.fill(0);
        generation = 1;
      }
      const gen = generation;
      let s = 0;
      const len = data.length;
      for (let i = 0; i < len; i++) {
        const raw = data[i]!;
        const c = FOLD[raw]!;
        for (;;) {
          if (s === 0) {
            s = root[raw]!;
            break;
          }
          let next = -1;
          for (let k = tStart[s]!, e = tStart[s + 1]!; k < e; k++) {
            const b = tByte[k]!;
            if (b === c) {
              next = tNext[k]!;
              break;
            }
            if (b > c) break;
          }
          if (next >= 0) {
            s = next;
            break;
          }
          s = fail[s]!;
        }
        if (hasOut[s] === 1) {
          for (let k = outStart[s]!, e = outStart[s + 1]!; k < e; k++) {
            const id = outIds[k]!;
            if (seen[id] !== gen) {
              seen[id] = gen;
              onMatch(id);
            }
          }
        }
      }
    },
  };
}
