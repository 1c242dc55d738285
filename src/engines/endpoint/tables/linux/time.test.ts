import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { time, timeRow } from './time.js';

describe('time', () => {
  it('agrees with date -u', () => {
    const before = Number(execFileSync('date', ['-u', '+%s'], { encoding: 'utf8' }));
    const [row] = collectRows(time);
    expect(Math.abs(Number(row!.unix_time) - before)).toBeLessThanOrEqual(1);
    const iso = execFileSync('date', ['-u', '-d', `@${row!.unix_time}`, '+%FT%TZ'], { encoding: 'utf8' }).trim();
    expect(row!.iso_8601).toBe(iso);
    expect(row!.weekday).toBe(execFileSync('date', ['-u', '-d', `@${row!.unix_time}`, '+%A'], { encoding: 'utf8' }).trim());
  });

  it('formats timestamp like asctime with a space-padded day', () => {
    expect(timeRow(new Date('2026-11-03T05:02:01.900Z'))).toMatchObject({
      timestamp: 'Tue Nov  3 05:02:01 2026 UTC',
      datetime: '2026-11-03T05:02:01Z',
      year: 2026,
      month: 11,
      day: 3,
      hour: 5,
      minutes: 2,
      seconds: 1,
    });
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    expect(columnMismatch('time', collectRows(time)[0]!)).toBe('');
  });
});
