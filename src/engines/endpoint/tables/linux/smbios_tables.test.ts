import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DMI_TABLE, parseSmbios } from '../common/smbios.js';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { memoryDevice17, smbiosStructure } from '../common/testdata/smbios-builder.js';
import { smbiosTableRow, smbiosTables } from './smbios_tables.js';

describe('smbios_tables', () => {
  it('walks structures with and without strings up to the end-of-table marker', () => {
    const bios = smbiosStructure(0, 0x0000, [1, 2, 0, 0xe8, 3, 0], ['SeaBIOS', '1.16.2', '04/01/2014']);
    const dimm = memoryDevice17();
    const end = smbiosStructure(127, 0x7f00, []);
    const table = Buffer.concat([bios, dimm, end, Buffer.from('garbage after the end')]);
    const rows = parseSmbios(table).map(smbiosTableRow);
    expect(rows.map((r) => [r.number, r.type, r.description, r.handle, r.header_size, r.size])).toEqual([
      [0, 0, 'BIOS Information', 0, 10, bios.length],
      [1, 17, 'Memory Device', 0x1100, 40, dimm.length],
      [2, 127, 'End-of-Table', 0x7f00, 4, 6],
    ]);
    expect(rows[1].md5).toBe(createHash('md5').update(dimm).digest('hex'));
    if (!schemaMissing) expect(columnMismatch('smbios_tables', rows[0])).toBe('');
  });

  it('stops at a structure that runs past the table', () => {
    expect(parseSmbios(Buffer.from([17, 200, 0, 0, 1, 2]))).toEqual([]);
  });

  it('is empty without the firmware table (no SMBIOS, or not root)', () => {
    if (!existsSync(DMI_TABLE)) expect(collectRows(smbiosTables)).toEqual([]);
    else expect(collectRows(smbiosTables).length).toBeGreaterThan(0);
  });
});
