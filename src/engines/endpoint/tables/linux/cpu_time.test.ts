import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { cpuTime, parseProcStatCpus } from './cpu_time.js';

describe('cpu_time', () => {
  it('has one row per core of /proc/stat, counters never behind it', () => {
    const before = parseProcStatCpus(readFileSync('/proc/stat', 'utf8'));
    const rows = collectRows(cpuTime);
    expect(rows.map((r) => r.core)).toEqual(before.map((r) => r.core));
    rows.forEach((r, i) => expect(Number(r.user)).toBeGreaterThanOrEqual(Number(before[i].user)));
  });

  it('skips the aggregate line and fills missing fields with 0', () => {
    expect(parseProcStatCpus('cpu  9 9 9 9\ncpu0 1 2 3 4 5 6 7\nintr 1 2\n')).toEqual([
      { core: 0, user: 1, nice: 2, system: 3, idle: 4, iowait: 5, irq: 6, softirq: 7, steal: 0, guest: 0, guest_nice: 0 },
    ]);
  });

  it.skipIf(schemaMissing)('has osquery columns', () => {
    expect(columnMismatch('cpu_time', collectRows(cpuTime)[0])).toBe('');
  });
});
