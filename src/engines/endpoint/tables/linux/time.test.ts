import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { posixZoneNames, time, timeRow } from './time.js';

const TIME_MODULE = fileURLToPath(new URL('./time.ts', import.meta.url));

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

  it('names the local zone like date +%Z, in and out of daylight saving time', () => {
    const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'America/Sao_Paulo', 'Australia/Sydney', 'EST5EDT'];
    const instants = ['2026-01-15T12:00:00Z', '2026-07-15T12:00:00Z'];
    for (const tz of zones) {
      if (tz.includes('/') && !existsSync(`/usr/share/zoneinfo/${tz}`)) continue;
      const env = { ...process.env, TZ: tz };
      const want = instants.map((at) => execFileSync('date', ['-d', at, '+%Z'], { encoding: 'utf8', env }).trim()).join(' ');
      const script = `import('${TIME_MODULE}').then((m) => process.stdout.write(${JSON.stringify(instants)}.map((at) => m.timeRow(new Date(at)).local_timezone).join(' ')))`;
      const got = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', env });
      expect(got, tz).toBe(want);
    }
  });

  it('reads zone abbreviations from POSIX TZ strings', () => {
    expect(posixZoneNames('CET-1CEST,M3.5.0,M10.5.0/3')).toEqual(['CET', 'CEST']);
    expect(posixZoneNames('<-03>3')).toEqual(['-03', undefined]);
    expect(posixZoneNames('UTC0')).toEqual(['UTC', undefined]);
    expect(posixZoneNames('')).toBeUndefined();
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    expect(columnMismatch('time', collectRows(time)[0]!)).toBe('');
  });
});
