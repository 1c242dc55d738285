import { describe, expect, it } from 'vitest';
import { parseSmbios } from '../common/smbios.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { le16, le32, le64, smbiosStructure } from '../common/testdata/smbios-builder.js';
import { memoryArrayMappedAddressRow } from './memory_array_mapped_addresses.js';

describe('memory_array_mapped_addresses', () => {
  it('decodes 32-bit and extended address ranges', () => {
    const low = smbiosStructure(19, 0x1300, [...le32(0), ...le32(0x3fffff), ...le16(0x1000), 2, ...le64(0n), ...le64(0n)]);
    const high = smbiosStructure(19, 0x1301, [...le32(0xffffffff), ...le32(0xffffffff), ...le16(0x1000), 1, ...le64(0x100000000n), ...le64(0x83fffffffn)]);
    const [a, b] = parseSmbios(Buffer.concat([low, high])).map((s) => memoryArrayMappedAddressRow(s)!);
    expect(a).toEqual({ handle: '0x1300', memory_array_handle: '0x1000', starting_address: '0x00000000', ending_address: '0x003fffff', partition_width: 2 });
    expect(b).toMatchObject({ starting_address: '0x000100000000', ending_address: '0x00083fffffff' });
    if (!schemaMissing) expect(columnMismatch('memory_array_mapped_addresses', a)).toBe('');
  });
});
