import { describe, expect, it } from 'vitest';
import { parseSmbios } from '../common/smbios.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { le16, le32, le64, smbiosStructure } from '../common/testdata/smbios-builder.js';
import { memoryArrayRow } from './memory_arrays.js';

describe('memory_arrays', () => {
  it('decodes a Physical Memory Array, with 32-bit and extended capacity', () => {
    const small = smbiosStructure(16, 0x1000, [0x03, 0x03, 0x06, ...le32(64 * 1048576), ...le16(0xfffe), ...le16(4), ...le64(0n)]);
    const big = smbiosStructure(16, 0x1001, [0x03, 0x03, 0x05, ...le32(0x80000000), ...le16(0x2000), ...le16(32), ...le64(8n * 1024n ** 4n)]);
    const [a, b] = parseSmbios(Buffer.concat([small, big])).map((s) => memoryArrayRow(s)!);
    expect(a).toEqual({ handle: '0x1000', location: 'System board or motherboard', use: 'System memory', memory_error_correction: 'Multi-bit ECC', max_capacity: 64, memory_error_info_handle: '', number_memory_devices: 4 });
    expect(b).toMatchObject({ max_capacity: 8192, memory_error_info_handle: '0x2000', memory_error_correction: 'Single-bit ECC' });
    if (!schemaMissing) expect(columnMismatch('memory_arrays', a)).toBe('');
  });
});
