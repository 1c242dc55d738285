import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { memoryInfo, parseMeminfo } from './memory_info.js';

function meminfoKb(field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(readFileSync('/proc/meminfo', 'utf8'));
  return Number(m![1]);
}

describe('memory_info', () => {
  it('equals /proc/meminfo for the stable fields', () => {
    const [row] = collectRows(memoryInfo);
    expect(row.memory_total).toBe(meminfoKb('MemTotal') * 1024);
    expect(row.swap_total).toBe(meminfoKb('SwapTotal') * 1024);
    // Free memory moves between two reads; it must still be within 5 % of MemTotal.
    expect(Math.abs(Number(row.memory_free) - meminfoKb('MemFree') * 1024)).toBeLessThan(meminfoKb('MemTotal') * 1024 * 0.05);
  });

  it('converts kB to bytes and leaves missing fields null', () => {
    const row = parseMeminfo('MemTotal:       2048 kB\nMemFree: 1024 kB\nHugePages_Total: 0\n');
    expect(row.memory_total).toBe(2097152);
    expect(row.memory_free).toBe(1048576);
    expect(row.memory_available).toBeNull();
  });

  it.skipIf(schemaMissing)('has osquery columns', () => {
    expect(columnMismatch('memory_info', collectRows(memoryInfo)[0])).toBe('');
  });
});
