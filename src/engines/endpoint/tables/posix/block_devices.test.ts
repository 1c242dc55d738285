import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { blockDevices } from './block_devices.js';

describe('block_devices', () => {
  it('equals /sys/class/block with sizes in sectors', () => {
    const before = readdirSync('/sys/class/block').sort();
    const rows = collectRows(blockDevices);
    const after = new Set(readdirSync('/sys/class/block'));
    // Devices other tests attach or detach meanwhile (loop devices) are left out of the comparison.
    const stable = before.filter((n) => after.has(n));
    const got = rows.map((r) => String(r.name).slice(5));
    for (const n of stable) expect(got).toContain(n);
    for (const r of rows) {
      const n = String(r.name).slice(5);
      if (!stable.includes(n) || n.startsWith('loop')) continue;
      expect(r.size).toBe(Number(readFileSync(`/sys/class/block/${n}/size`, 'utf8')));
    }
  });

  it('reads only the devices a name constraint pins', () => {
    const first = readdirSync('/sys/class/block').sort()[0];
    if (first === undefined) return;
    const rows = collectRows(blockDevices, { constraints: { name: [`/dev/${first}`] } });
    expect(rows.map((r) => r.name)).toEqual([`/dev/${first}`]);
  });

  it.skipIf(schemaMissing)('has osquery columns', () => {
    for (const r of collectRows(blockDevices)) expect(columnMismatch('block_devices', r)).toBe('');
  });
});
