/** memory_arrays: physical memory arrays (SMBIOS type 16 structures). */
import { SMBIOS_ENUMS, byte, dword, enumName, hexStr, machineStructures, qword, word, type SmbiosStructure } from '../common/smbios.js';
import type { Row, TableImpl } from '../../types.js';

/** The row for a Physical Memory Array structure, or undefined when it is too short. */
export function memoryArrayRow(s: SmbiosStructure): Row | undefined {
  if (s.type !== 16 || s.bytes.length < 0x17) return undefined;
  const cap = dword(s, 0x07) ?? 0;
  const ext = qword(s, 0x0f);
  const errHandle = word(s, 0x0b);
  return {
    handle: hexStr(s.handle),
    location: enumName(SMBIOS_ENUMS.arrayLocation, byte(s, 0x04)),
    use: enumName(SMBIOS_ENUMS.arrayUse, byte(s, 0x05)),
    memory_error_correction: enumName(SMBIOS_ENUMS.errorCorrection, byte(s, 0x06)),
    // In GB, as osquery reports it: the 32-bit field counts KB; 0x80000000 points to the 64-bit one in bytes.
    max_capacity: cap >= 0x80000000 ? (ext === undefined ? null : Number(ext / 1073741824n)) : Math.floor(cap / 1048576),
    memory_error_info_handle: errHandle === undefined || errHandle >= 0xfffe ? '' : hexStr(errHandle),
    number_memory_devices: word(s, 0x0d) ?? null,
  };
}

/** Generator for osquery's `memory_arrays` table. */
export const memoryArrays: TableImpl = {
  name: 'memory_arrays',
  *generate() {
    for (const s of machineStructures(16)) {
      const row = memoryArrayRow(s);
      if (row) yield row;
    }
  },
};
