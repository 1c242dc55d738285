import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { loadAverage, loadAverageRows } from './load_average.js';

describe('load_average', () => {
  it('equals /proc/loadavg within rounding and sampling tolerance', () => {
    const proc = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
    const rows = collectRows(loadAverage);
    expect(rows.map((r) => r.period)).toEqual(['1m', '5m', '15m']);
    rows.forEach((r, i) => expect(Math.abs(Number(r.average) - proc[i])).toBeLessThan(0.5 + proc[i] * 0.2));
  });

  it('formats six decimals like osquery', () => {
    expect(loadAverageRows([1.0078125, 0.5, 0])).toEqual([
      { period: '1m', average: '1.007812' },
      { period: '5m', average: '0.500000' },
      { period: '15m', average: '0.000000' },
    ]);
  });

  it.skipIf(schemaMissing)('has osquery columns', () => {
    for (const r of collectRows(loadAverage)) expect(columnMismatch('load_average', r)).toBe('');
  });
});
