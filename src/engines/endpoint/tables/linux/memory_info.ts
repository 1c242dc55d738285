/** memory_info: system memory counters from /proc/meminfo, in bytes as osquery reports them. */
import { readTextOr } from '../common/sysfs.js';
import type { QueryContext, Row, TableImpl } from '../../types.js';

/** /proc/meminfo field -> osquery column. */
const FIELDS: Record<string, string> = {
  MemTotal: 'memory_total',
  MemFree: 'memory_free',
  MemAvailable: 'memory_available',
  Buffers: 'buffers',
  Cached: 'cached',
  SwapCached: 'swap_cached',
  Active: 'active',
  Inactive: 'inactive',
  SwapTotal: 'swap_total',
  SwapFree: 'swap_free',
};

/**
 * Parses /proc/meminfo into osquery's row (kB values become bytes; fields the kernel lacks are null).
 *
 * @example
 * parseMeminfo('MemTotal:  1024 kB\n').memory_total; // 1048576
 */
export function parseMeminfo(text: string): Row {
  const row: Row = {};
  for (const col of Object.values(FIELDS)) row[col] = null;
  for (const line of text.split('\n')) {
    const m = /^(\w+):\s+(\d+)(\s*kB)?/.exec(line);
    if (!m) continue;
    const col = FIELDS[m[1]];
    if (col === undefined) continue;
    const value = BigInt(m[2]) * (m[3] ? 1024n : 1n);
    row[col] = value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
  }
  return row;
}

/** Generator for osquery's `memory_info` table. */
export const memoryInfo: TableImpl = {
  name: 'memory_info',
  *generate(ctx: QueryContext) {
    const text = readTextOr('/proc/meminfo');
    if (text === undefined) {
      ctx.warn('memory_info: cannot read /proc/meminfo');
      return;
    }
    yield parseMeminfo(text);
  },
};
