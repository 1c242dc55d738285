/** smbios_tables: every structure of the firmware's SMBIOS table, with its size and MD5. */
import { createHash } from 'node:crypto';
import { SMBIOS_TYPE_NAMES, machineStructures, type SmbiosStructure } from '../common/smbios.js';
import type { Row, TableImpl } from '../../types.js';

/** The row for one structure. */
export function smbiosTableRow(s: SmbiosStructure): Row {
  return {
    number: s.index,
    type: s.type,
    description: SMBIOS_TYPE_NAMES[s.type] ?? 'Unknown',
    handle: s.handle,
    header_size: s.length,
    size: s.bytes.length,
    md5: createHash('md5').update(s.bytes).digest('hex'),
  };
}

/** Generator for osquery's `smbios_tables` table. */
export const smbiosTables: TableImpl = {
  name: 'smbios_tables',
  generate: () => machineStructures().map(smbiosTableRow),
};
