import { describe, expect, it } from 'vitest';
import { parseSmbios } from '../common/smbios.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { le32, smbiosStructure } from '../common/testdata/smbios-builder.js';
import { memoryErrorInfoRow } from './memory_error_info.js';

describe('memory_error_info', () => {
  it('decodes error type, granularity and operation, leaving unknown addresses empty', () => {
    const s = smbiosStructure(18, 0x2000, [0x03, 0x02, 0x02, ...le32(0), ...le32(0x80000000), ...le32(0x1234), ...le32(0x80000000)]);
    const row = memoryErrorInfoRow(parseSmbios(s)[0])!;
    expect(row).toEqual({
      handle: '0x2000', error_type: 'OK', error_granularity: 'Unknown', error_operation: 'Unknown', vendor_syndrome: '',
      memory_array_error_address: '', device_error_address: '0x00001234', error_resolution: '',
    });
    if (!schemaMissing) expect(columnMismatch('memory_error_info', row)).toBe('');
  });
});
