import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { SYSTEM_CRONTAB, crontab, parseCrontab } from './crontab.js';

describe('crontab', () => {
  it('has one row per job line of /etc/crontab (nothing without cron)', () => {
    const rows = collectRows(crontab).filter((r) => r.path === SYSTEM_CRONTAB);
    if (!existsSync(SYSTEM_CRONTAB)) {
      expect(rows).toEqual([]);
      return;
    }
    const jobs = readFileSync(SYSTEM_CRONTAB, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#') && !/^[A-Za-z_]+\s*=/.test(l));
    expect(rows.length).toBe(jobs.length);
  });

  it('parses time fields, @events and skips variables', () => {
    const rows = parseCrontab('SHELL=/bin/sh\n# c\n*/5  1 * * 1-5\troot  /usr/bin/x  --y\n@reboot /opt/start.sh\n', '/etc/cron.d/t');
    expect(rows.map((r) => [r.event, r.minute, r.hour, r.day_of_month, r.month, r.day_of_week, r.command])).toEqual([
      [null, '*/5', '1', '*', '*', '1-5', 'root /usr/bin/x --y'],
      ['@reboot', null, null, null, null, null, '/opt/start.sh'],
    ]);
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    expect(columnMismatch('crontab', parseCrontab('@daily x\n', 'p')[0]!)).toBe('');
  });
});
