/**
 * load_average: the 1, 5 and 15 minute load averages. osquery reads them with sysinfo(2), whose
 * fixed-point values (1/65536) differ in the last digits from /proc/loadavg's two decimals;
 * os.loadavg() uses the same syscall, so the figures match osquery's exactly.
 */
import { loadavg } from 'node:os';
import type { Row, TableImpl } from '../../types.js';

/** Rows for three load averages, formatted like osquery (six decimals). */
export function loadAverageRows(averages: readonly number[]): Row[] {
  const periods = ['1m', '5m', '15m'];
  return periods.map((period, i) => ({ period, average: formatFixed6(averages[i] ?? 0) }));
}

/**
 * printf("%f") of a double: six decimals, an exact tie rounded to even as glibc does
 * (sysinfo's 1/65536 steps often land on ties: 1.0078125 prints 1.007812, not toFixed's 1.007813).
 */
export function formatFixed6(x: number): string {
  const scaled = x * 1e6;
  const floor = Math.floor(scaled);
  if (scaled - floor === 0.5 && scaled / 1e6 === x) {
    const even = floor % 2 === 0 ? floor : floor + 1;
    return (even / 1e6).toFixed(6);
  }
  return x.toFixed(6);
}

/** Generator for osquery's `load_average` table. */
export const loadAverage: TableImpl = {
  name: 'load_average',
  generate: () => loadAverageRows(loadavg()),
};
