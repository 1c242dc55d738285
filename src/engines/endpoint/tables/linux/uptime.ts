import type { TableImpl } from '../../types.js';
import { readTextOrUndefined } from '../common/proc.js';

/**
 * Splits seconds of uptime into osquery's days/hours/minutes/seconds columns.
 *
 * @example
 * splitUptime(90061) // { days: 1, hours: 1, minutes: 1, seconds: 1, total_seconds: 90061 }
 */
export function splitUptime(total: number): { days: number; hours: number; minutes: number; seconds: number; total_seconds: number } {
  return {
    days: Math.floor(total / 86400),
    hours: Math.floor((total % 86400) / 3600),
    minutes: Math.floor((total % 3600) / 60),
    seconds: total % 60,
    total_seconds: total,
  };
}

/**
 * `uptime`: time since boot from /proc/uptime, in whole seconds.
 *
 * @example
 * const [u] = uptime.generate(createTestContext());
 */
export const uptime: TableImpl = {
  name: 'uptime',
  *generate(ctx) {
    const text = readTextOrUndefined('/proc/uptime');
    const up = text === undefined ? Number.NaN : Number.parseFloat(text);
    if (!Number.isFinite(up)) {
      ctx.warn('uptime: cannot read /proc/uptime');
      return;
    }
    yield splitUptime(Math.floor(up));
  },
};
