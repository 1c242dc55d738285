import { describe, expect, it } from 'vitest';
import { parseSmbios } from '../common/smbios.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { le16, le32, le64, smbiosStructure } from '../common/testdata/smbios-builder.js';
import { memoryDeviceMappedAddressRow } from './memory_device_mapped_addresses.js';

describe('memory_device_mapped_addresses', () => {
  it('decodes a device range with its interleave positions', () => {
    const s = smbiosStructure(20, 0x1400, [...le32(0), ...le32(0x3fffff), ...le16(0x1100), ...le16(0x1300), 1, 2, 3, ...le64(0n), ...le64(0n)]);
    const row = memoryDeviceMappedAddressRow(parseSmbios(s)[0])!;
    expect(row).toEqual({
      handle: '0x1400', memory_device_handle: '0x1100', memory_array_mapped_address_handle: '0x1300', starting_address: '0x00000000',
      ending_address: '0x003fffff', partition_row_position: 1, interleave_position: 2, interleave_data_depth: 3,
    });
    if (!schemaMissing) expect(columnMismatch('memory_device_mapped_addresses', row)).toBe('');
  });
});
