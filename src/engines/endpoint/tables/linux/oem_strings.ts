/** oem_strings: the free-form strings of the firmware's OEM Strings structures (SMBIOS type 11). */
import { byte, hexStr, machineStructures, smbiosString, type SmbiosStructure } from '../common/smbios.js';
import type { Row, TableImpl } from '../../types.js';

/** Rows for one OEM Strings structure: one per string it declares. */
export function oemStringRows(s: SmbiosStructure): Row[] {
  if (s.type !== 11) return [];
  const count = byte(s, 0x04) ?? 0;
  const rows: Row[] = [];
  for (let n = 1; n <= count; n++) rows.push({ handle: hexStr(s.handle), number: n, value: smbiosString(s, n) });
  return rows;
}

/** Generator for osquery's `oem_strings` table. */
export const oemStrings: TableImpl = {
  name: 'oem_strings',
  generate: () => machineStructures(11).flatMap(oemStringRows),
};
