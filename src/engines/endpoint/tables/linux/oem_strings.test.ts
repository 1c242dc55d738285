import { describe, expect, it } from 'vitest';
import { parseSmbios } from '../common/smbios.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { smbiosStructure } from '../common/testdata/smbios-builder.js';
import { oemStringRows } from './oem_strings.js';

describe('oem_strings', () => {
  it('lists each string an OEM Strings structure declares', () => {
    const s = smbiosStructure(11, 0x0b00, [2], ['Dell System', '5[0000]  ']);
    const rows = oemStringRows(parseSmbios(s)[0]);
    expect(rows).toEqual([
      { handle: '0x0b00', number: 1, value: 'Dell System' },
      { handle: '0x0b00', number: 2, value: '5[0000]' },
    ]);
    if (!schemaMissing) expect(columnMismatch('oem_strings', rows[0])).toBe('');
  });
});
