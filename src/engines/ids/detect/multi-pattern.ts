/**
 * Multi-pattern matcher: Aho-Corasick over case-folded bytes, compiled to typed arrays.
 *
 * Why this shape: rules are only *candidates* after this pass (each rule re-checks its own
 * contents with exact case and cursor semantics), so folding every pattern to lower case costs a
 * few extra candidates but halves the automaton and lets one pass serve nocase and exact patterns.
 *
 * The shallow states of the automaton have full DFA rows (a transition for every byte class: one
 * table load per input byte, no failure-link walks), as many as the memory budget allows; deeper
 * states, which a scan rarely visits, keep sparse goto rows with failure links (see buildHybrid).
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

/**
 * Default budget for one matcher's dense rows, in table cells (4 bytes each): 65,536 cells (256 KiB).
 * The scan spends nearly all its time in the shallowest states, which get their dense rows first; on
 * bench/big.pcap with the community rules 65,536 instead of 1,048,576 cells scans as fast (within the
 * noise) and lowers peak RSS by about 40 MB.
 */
export const DEFAULT_DFA_CELLS = 1 << 16;

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
  /** True when every state has a full transition row (else the deep states are sparse, see `denseStates`). */
  readonly dense: boolean;
  /** States with a full transition row (the shallowest ones). */
  readonly denseStates: number;
  /** Bytes held by the compiled tables (for memory budgets). */
  readonly byteSize: number;
  /** Calls `onMatch(id)` once per distinct id present in `data` (case-insensitively). */
  scan(data: Uint8Array, onMatch: (id: number) => void): void;
}

/**
 * The trie while building: children as sibling lists in insertion order (no Map per state, which
 * dominated build time for tens of thousands of states), with a 256-entry table for the root. Typed
 * arrays sized once for the largest possible trie (one state per pattern byte): no array growth, and
 * fast while the build still runs unoptimised (its first calls at load).
 */
interface Trie {
  readonly label: Uint8Array;
  /** First and last child of each state (-1: none), next sibling of each state (-1: last). */
  readonly first: Int32Array;
  readonly last: Int32Array;
  readonly sibling: Int32Array;
  readonly outputs: (number[] | undefined)[];
  readonly rootChild: Int32Array;
  /** States in use. */
  size: number;
}

/** The child of state s on folded byte c, or 0 (the root is nobody's child). */
function childOf(trie: Trie, s: number, c: number): number {
  if (s === 0) return trie.rootChild[c]!;
  for (let t = trie.first[s]!; t !== -1; t = trie.sibling[t]!) if (trie.label[t] === c) return t;
  return 0;
}

/**
 * Compiles patterns into a matcher. Empty patterns are ignored (they would match everywhere;
 * callers treat such rules as having no fast pattern).
 */
export function compileMatcher(patterns: readonly PatternInput[], options: { maxDfaCells?: number } = {}): Matcher {
  let capacity = 1;
  for (const p of patterns) capacity += p.bytes.length;
  const trie: Trie = {
    label: new Uint8Array(capacity),
    first: new Int32Array(capacity).fill(-1),
    last: new Int32Array(capacity).fill(-1),
    sibling: new Int32Array(capacity).fill(-1),
    outputs: new Array<number[] | undefined>(capacity).fill(undefined),
    rootChild: new Int32Array(256),
    size: 1,
  };
  let maxId = -1;
  for (const p of patterns) {
    if (p.bytes.length === 0) continue;
    let s = 0;
    for (let i = 0; i < p.bytes.length; i++) {
      const c = FOLD[p.bytes[i]!]!;
      let next = childOf(trie, s, c);
      if (next === 0) {
        next = trie.size++;
        trie.label[next] = c;
        if (trie.last[s] === -1) trie.first[s] = next;
        else trie.sibling[trie.last[s]!] = next;
        trie.last[s] = next;
        if (s === 0) trie.rootChild[c] = next;
      }
      s = next;
    }
    const out = (trie.outputs[s] ??= []);
    if (!out.includes(p.id)) out.push(p.id);
    if (p.id > maxId) maxId = p.id;
  }
  const n = trie.size;
  // Breadth-first failure links.
  const fail = new Int32Array(n);
  const order = new Int32Array(n);
  let queued = 1;
  for (let qi = 0; qi < queued; qi++) {
    const s = order[qi]!;
    for (let t = trie.first[s]!; t !== -1; t = trie.sibling[t]!) {
      order[queued++] = t;
      if (s === 0) continue;
      const c = trie.label[t]!;
      let f = fail[s]!;
      let ft = childOf(trie, f, c);
      while (f !== 0 && ft === 0) {
        f = fail[f]!;
        ft = childOf(trie, f, c);
      }
      fail[t] = ft !== t ? ft : 0;
    }
  }
  // Merge dictionary-suffix outputs (in BFS order so fail[s] is final first).
  for (let qi = 1; qi < n; qi++) {
    const s = order[qi]!;
    const fo = trie.outputs[fail[s]!];
    if (fo !== undefined) {
      const out = (trie.outputs[s] ??= []);
      for (const id of fo) if (!out.includes(id)) out.push(id);
    }
  }
  // Flatten outputs.
  const outStart = new Int32Array(n + 1);
  let total = 0;
  for (let s = 0; s < n; s++) {
    outStart[s] = total;
    total += trie.outputs[s]?.length ?? 0;
  }
  outStart[n] = total;
  const outIds = new Int32Array(total);
  for (let s = 0; s < n; s++) {
    const out = trie.outputs[s];
    if (out !== undefined) outIds.set(out, outStart[s]!);
  }

  // Byte classes: bytes that never appear in any pattern share class 0.
  const classOf = new Uint8Array(256);
  let classes = 1;
  const used = new Uint8Array(256);
  for (let t = 1; t < n; t++) used[trie.label[t]!] = 1;
  const classForFolded = new Int32Array(256).fill(0);
  for (let c = 0; c < 256; c++) if (used[c]) classForFolded[c] = classes++;
  for (let b = 0; b < 256; b++) classOf[b] = classForFolded[FOLD[b]!]!;
  const seen = new Uint32Array(Math.max(0, maxId + 1));
  const maxCells = options.maxDfaCells ?? DEFAULT_DFA_CELLS;
  return buildHybrid(trie, order, fail, classOf, classes, outStart, outIds, seen, patterns.length, maxCells);
}

/**
 * The automaton: states are renumbered in breadth-first order; the first ones (the shallow states,
 * where a scan spends nearly all its time) get a full row of `classes` cells, as many as `maxCells`
 * allows. Deeper states keep only their goto transitions (usually one) and a failure link, like
 * Snort's ac_bnfa: few bytes per state, and a scan leaving one falls back to a shallow dense row
 * within a step or two.
 *
 * A state is named by its cell offset: dense state q is `q * classes` (no multiply in the scan loop),
 * sparse state j is `denseCells + j`. A transition's value is bit-inverted (negative) when the target
 * has outputs or is sparse, so the loop between dense states without outputs (nearly every byte)
 * tests one sign per byte, as a full DFA would.
 */
function buildHybrid(
  trie: Trie,
  order: Int32Array,
  fail: Int32Array,
  classOf: Uint8Array,
  classes: number,
  outStartOld: Int32Array,
  outIdsOld: Int32Array,
  seen: Uint32Array,
  patternCount: number,
  maxCells: number,
): Matcher {
  const n = trie.size;
  const nd = Math.max(1, Math.min(n, Math.floor(maxCells / classes)));
  const ns = n - nd;
  const base = nd * classes;
  // BFS position of each trie state: a failure link always points to an earlier position.
  const pos = new Int32Array(n);
  for (let q = 0; q < n; q++) pos[order[q]!] = q;
  // State names and encoded transitions, computed up front: closures here would share the scan
  // closure's context and keep these build-time arrays alive with the matcher.
  const names = new Int32Array(n);
  const encoded = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    const q = pos[t]!;
    names[t] = q < nd ? q * classes : base + (q - nd);
    // Negative: the target has outputs or is sparse (the scan's slow path handles both).
    encoded[t] = outStartOld[t + 1]! > outStartOld[t]! || q >= nd ? ~names[t]! : names[t]!;
  }
  // Outputs by BFS position.
  const outStart = new Int32Array(n + 1);
  const outIds = new Int32Array(outIdsOld.length);
  let o = 0;
  for (let q = 0; q < n; q++) {
    const t = order[q]!;
    outStart[q] = o;
    for (let k = outStartOld[t]!; k < outStartOld[t + 1]!; k++) outIds[o++] = outIdsOld[k]!;
  }
  outStart[n] = o;
  const classByFolded = new Int32Array(256);
  for (let b = 0; b < 256; b++) classByFolded[FOLD[b]!] = classOf[b]!;

  const delta = new Int32Array(base);
  for (let q = 0; q < nd; q++) {
    const t = order[q]!;
    const row = q * classes;
    if (q > 0) {
      const frow = pos[fail[t]!]! * classes;
      delta.copyWithin(row, frow, frow + classes);
    }
    for (let u = trie.first[t]!; u !== -1; u = trie.sibling[u]!) delta[row + classByFolded[trie.label[u]!]!] = encoded[u]!;
  }
  const spStart = new Int32Array(ns + 1);
  let total = 0;
  for (let j = 0; j < ns; j++) {
    spStart[j] = total;
    for (let u = trie.first[order[nd + j]!]!; u !== -1; u = trie.sibling[u]!) total++;
  }
  spStart[ns] = total;
  const spClass = new Uint8Array(total);
  const spNext = new Int32Array(total);
  const spFail = new Int32Array(ns);
  for (let j = 0; j < ns; j++) {
    const t = order[nd + j]!;
    let k = spStart[j]!;
    for (let u = trie.first[t]!; u !== -1; u = trie.sibling[u]!) {
      spClass[k] = classByFolded[trie.label[u]!]!;
      spNext[k] = encoded[u]!;
      k++;
    }
    spFail[j] = names[fail[t]!]!;
  }

  let generation = 0;
  return {
    patternCount,
    stateCount: n,
    denseStates: nd,
    dense: ns === 0,
    byteSize: delta.byteLength + classOf.byteLength + outStart.byteLength + outIds.byteLength + spStart.byteLength + spClass.byteLength + spNext.byteLength + spFail.byteLength + seen.byteLength,
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
        // Fast path: a dense state without outputs, one table load.
        const v = d[s + cls[data[i]!]!]!;
        if (v >= 0) {
          s = v;
          continue;
        }
        s = ~v;
        for (;;) {
          const q = s < base ? (s / classes) | 0 : nd + s - base;
          for (let k = outStart[q]!, e = outStart[q + 1]!; k < e; k++) {
            const id = outIds[k]!;
            if (seen[id] !== gen) {
              seen[id] = gen;
              onMatch(id);
            }
          }
          if (s < base || ++i >= len) break;
          // A sparse (deep) state: its own transitions, else its failure state's, until a dense one.
          const c = cls[data[i]!]!;
          let t = s;
          let w: number;
          for (;;) {
            if (t < base) {
              w = d[t + c]!;
              break;
            }
            const j = t - base;
            let k = spStart[j]!;
            const e = spStart[j + 1]!;
            while (k < e && spClass[k] !== c) k++;
            if (k < e) {
              w = spNext[k]!;
              break;
            }
            t = spFail[j]!;
          }
          if (w >= 0) {
            s = w;
            break;
          }
          s = ~w;
        }
      }
    },
  };
}
