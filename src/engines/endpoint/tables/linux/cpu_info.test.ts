import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { cpuInfo, parseCpuinfo } from './cpu_info.js';

describe('cpu_info', () => {
  it('describes each physical package listed in /proc/cpuinfo', () => {
    const text = readFileSync('/proc/cpuinfo', 'utf8');
    const packages = new Set([...text.matchAll(/^physical id\s*:\s*(\S+)/gm)].map((m) => m[1]));
    const rows = collectRows(cpuInfo);
    expect(rows).toHaveLength(Math.max(packages.size, 1));
    const model = /^model name\s*:\s*(.*)$/m.exec(text)?.[1]?.trim() ?? '';
    expect(rows[0].model).toBe(model);
  });

  it('keeps the first CPU of each socket', () => {
    const block = (cpu: number, socket: number) =>
      `processor\t: ${cpu}\nvendor_id\t: GenuineIntel\nmodel name\t: Xeon ${socket}\ncpu MHz\t\t: 2100.5\nphysical id\t: ${socket}\nsiblings\t: 4\ncpu cores\t: 2\naddress sizes\t: 46 bits physical, 48 bits virtual\n`;
    const rows = parseCpuinfo([block(0, 0), block(1, 0), block(2, 1), block(3, 1)].join('\n'), 3500);
    expect(rows.map((r) => [r.device_id, r.model, r.logical_processors, r.number_of_cores, r.current_clock_speed, r.max_clock_speed])).toEqual([
      ['0', 'Xeon 0', 4, '2', 2100, 3500],
      ['1', 'Xeon 1', 4, '2', 2100, 3500],
    ]);
  });

  it.skipIf(schemaMissing)('has osquery columns', () => {
    for (const r of collectRows(cpuInfo)) expect(columnMismatch('cpu_info', r)).toBe('');
  });
});
