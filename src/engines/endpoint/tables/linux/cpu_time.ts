/** cpu_time: time each CPU core spent in each state, in clock ticks (USER_HZ), from /proc/stat. */
import { readTextOr } from '../common/sysfs.js';
import type { QueryContext, Row, TableImpl } from '../../types.js';

const FIELDS = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal', 'guest', 'guest_nice'] as const;

/**
 * Parses the per-core `cpuN` lines of /proc/stat (the aggregate `cpu` line is not a core).
 *
 * @example
 * parseProcStatCpus('cpu0 1 2 3 4 5 6 7 8 9 10\n')[0].idle; // 4
 */
export function parseProcStatCpus(text: string): Row[] {
  const rows: Row[] = [];
  for (const line of text.split('\n')) {
    const m = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const values = m[2].trim().split(/\s+/).map(Number);
    const row: Row = { core: Number(m[1]) };
    // Old kernels print fewer fields; the missing ones are 0 there, as osquery reports them.
    FIELDS.forEach((f, i) => (row[f] = Number.isFinite(values[i]) ? values[i] : 0));
    rows.push(row);
  }
  return rows;
}

/** Generator for osquery's `cpu_time` table. */
export const cpuTime: TableImpl = {
  name: 'cpu_time',
  generate(ctx: QueryContext) {
    const text = readTextOr('/proc/stat');
    if (text === undefined) {
      ctx.warn('cpu_time: cannot read /proc/stat');
      return [];
    }
    return parseProcStatCpus(text);
  },
};
