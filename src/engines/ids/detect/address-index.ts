/**
 * An interval index from IPv4 addresses to the items (rule numbers) whose address set contains them.
 *
 * Why: ET's IP-reputation rules carry hundreds of addresses each and no content, so a packet would
 * otherwise test every one of those lists. The index cuts the address space into elementary intervals
 * (between consecutive range boundaries) and stores, per interval, the items covering it; a lookup is
 * one binary search.
 */

/**
 * Built from `add(item, ranges)` calls, then `build()`; lookups return the items covering an address.
 *
 * @example
 * const idx = new AddressIndex();
 * idx.add(0, Uint32Array.of(0x0a000000, 0x0affffff)); // 10.0.0.0/8
 * idx.build();
 * idx.lookup(0x0a010203, (item) => console.log(item)); // 0
 */
export class AddressIndex {
  private readonly pending: { item: number; ranges: Uint32Array }[] = [];
  /** Interval starts, sorted. Interval k covers [starts[k], starts[k+1]-1]. */
  private starts = new Float64Array(0);
  private itemStart = new Int32Array(1);
  private items = new Int32Array(0);

  /** Adds an item covering sorted inclusive ranges [s0, e0, s1, e1, ...] (uint32). */
  add(item: number, ranges: Uint32Array): void {
    if (ranges.length > 0) this.pending.push({ item, ranges });
  }

  get size(): number {
    return this.pending.length;
  }

  /** Compiles the added ranges into elementary intervals. */
  build(): void {
    // Interval starts: every range start and end + 1 (may be 2^32: kept as a float), sorted, distinct.
    let m = 0;
    for (const { ranges } of this.pending) m += ranges.length;
    const all = new Float64Array(m);
    m = 0;
    for (const { ranges } of this.pending) {
      for (let i = 0; i < ranges.length; i += 2) {
        all[m++] = ranges[i]!;
        all[m++] = ranges[i + 1]! + 1;
      }
    }
    all.sort();
    let k = 0;
    for (let i = 0; i < all.length; i++) if (k === 0 || all[i] !== all[k - 1]) all[k++] = all[i]!;
    const starts = all.slice(0, k);
    // Two sweeps over the items' intervals: count per interval, then fill, straight into the flat arrays.
    const itemStart = new Int32Array(k + 1);
    this.eachItemInterval(starts, (j) => {
      itemStart[j + 1]!++;
    });
    for (let j = 0; j < k; j++) itemStart[j + 1]! += itemStart[j]!;
    const items = new Int32Array(itemStart[k]!);
    const fill = itemStart.slice(0, k);
    this.eachItemInterval(starts, (j, item) => {
      items[fill[j]!++] = item;
    });
    this.starts = starts;
    this.itemStart = itemStart;
    this.items = items;
    this.pending.length = 0;
  }

  /**
   * Calls `visit(j, item)` for each elementary interval j that a pending item covers, once per interval
   * even when the item was added twice in a row (build's count and fill sweeps see the same pairs).
   */
  private eachItemInterval(starts: Float64Array, visit: (j: number, item: number) => void): void {
    const lastItem = new Int32Array(starts.length).fill(-1);
    for (const { item, ranges } of this.pending) {
      for (let i = 0; i < ranges.length; i += 2) {
        const hi = lowerBound(starts, ranges[i + 1]! + 1);
        for (let j = lowerBound(starts, ranges[i]!); j < hi; j++) {
          if (lastItem[j] !== item) {
            lastItem[j] = item;
            visit(j, item);
          }
        }
      }
    }
  }

  /** Calls `onItem` for each item whose ranges contain `ip` (an item may be reported more than once if added twice). */
  lookup(ip: number, onItem: (item: number) => void): void {
    const starts = this.starts;
    // Last interval whose start <= ip.
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= ip) lo = mid + 1;
      else hi = mid;
    }
    const j = lo - 1;
    if (j < 0) return;
    for (let k = this.itemStart[j]!, e = this.itemStart[j + 1]!; k < e; k++) onItem(this.items[k]!);
  }
}

function lowerBound(a: Float64Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
