import { uptime as osUptime } from 'node:os';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { splitUptime, uptime } from './uptime.js';

describe('uptime', () => {
  it('agrees with the kernel uptime', () => {
    const [row] = collectRows(uptime);
    expect(Math.abs(Number(row!.total_seconds) - Math.floor(osUptime()))).toBeLessThanOrEqual(1);
    const { days, hours, minutes, seconds } = row as Record<string, number>;
    expect(days! * 86400 + hours! * 3600 + minutes! * 60 + seconds!).toBe(row!.total_seconds);
  });

  it('splits seconds into units', () => {
    expect(splitUptime(90061)).toEqual({ days: 1, hours: 1, minutes: 1, seconds: 1, total_seconds: 90061 });
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    expect(columnMismatch('uptime', collectRows(uptime)[0]!)).toBe('');
  });
});
