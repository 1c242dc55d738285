import { describe, expect, it } from 'vitest';
import { parseSmbios } from '../common/smbios.js';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { memoryDevice17 } from '../common/testdata/smbios-builder.js';
import { memoryDeviceRow, memoryDevices } from './memory_devices.js';

describe('memory_devices', () => {
  it('decodes a DDR4 DIMM structure', () => {
    const [s] = parseSmbios(memoryDevice17());
    const row = memoryDeviceRow(s)!;
    expect(row).toEqual({
      handle: '0x1100', array_handle: '0x1000', form_factor: 'DIMM', total_width: 72, data_width: 64, size: 16384, set: 0,
      device_locator: 'DIMM 0', bank_locator: 'BANK 0', memory_type: 'DDR4', memory_type_details: 'Synchronous Registered (Buffered)',
      max_speed: 3200, configured_clock_speed: 2933, manufacturer: 'Samsung', serial_number: '12345678', asset_tag: '',
      part_number: 'M393A2K43DB3-CWE', min_voltage: 1200, max_voltage: 1200, configured_voltage: 1200,
    });
    if (!schemaMissing) expect(columnMismatch('memory_devices', row)).toBe('');
  });

  it('ignores truncated structures', () => {
    const [s] = parseSmbios(memoryDevice17().subarray(0, 30));
    expect(s === undefined || memoryDeviceRow(s) === undefined).toBe(true);
  });

  it('reads this machine (nothing without SMBIOS)', () => {
    for (const r of collectRows(memoryDevices)) expect(String(r.handle)).toMatch(/^0x[0-9a-f]{4}$/);
  });
});
