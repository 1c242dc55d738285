import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { memoryMap, parseIomem } from './memory_map.js';

describe('memory_map', () => {
  it('has one row per region of /proc/iomem', () => {
    const lines = readFileSync('/proc/iomem', 'utf8').trim().split('\n');
    const rows = collectRows(memoryMap);
    expect(rows.map((r) => r.name)).toEqual(lines.map((l) => l.split(' : ')[1]));
    if (!schemaMissing) expect(columnMismatch('memory_map', rows[0])).toBe('');
  });

  it('parses nested regions', () => {
    expect(parseIomem('00100000-bfffffff : System RAM\n  01000000-0220bb07 : Kernel code\n')).toEqual([
      { name: 'System RAM', start: '0x00100000', end: '0xbfffffff' },
      { name: 'Kernel code', start: '0x01000000', end: '0x0220bb07' },
    ]);
  });
});
