/** memory_error_info: the last memory error each array or device reported (SMBIOS type 18 structures). */
import { SMBIOS_ENUMS, byte, dword, enumName, hexStr, machineStructures, type SmbiosStructure } from '../common/smbios.js';
import type { Row, TableImpl } from '../../types.js';

/** The row for a 32-bit Memory Error Information structure, or undefined when it is too short. */
export function memoryErrorInfoRow(s: SmbiosStructure): Row | undefined {
  if (s.type !== 18 || s.bytes.length < 0x17) return undefined;
  // 0x80000000 means "unknown" for the addresses and the resolution.
  const known = (v: number | undefined) => (v === undefined || v === 0x80000000 ? '' : hexStr(v, 8));
  const syndrome = dword(s, 0x07);
  return {
    handle: hexStr(s.handle),
    error_type: enumName(SMBIOS_ENUMS.errorType, byte(s, 0x04)),
    error_granularity: enumName(SMBIOS_ENUMS.errorGranularity, byte(s, 0x05)),
    error_operation: enumName(SMBIOS_ENUMS.errorOperation, byte(s, 0x06)),
    vendor_syndrome: syndrome === undefined || syndrome === 0 ? '' : hexStr(syndrome, 8),
    memory_array_error_address: known(dword(s, 0x0b)),
    device_error_address: known(dword(s, 0x0f)),
    error_resolution: known(dword(s, 0x13)),
  };
}

/** Generator for osquery's `memory_error_info` table. */
export const memoryErrorInfo: TableImpl = {
  name: 'memory_error_info',
  *generate() {
    for (const s of machineStructures(18)) {
      const row = memoryErrorInfoRow(s);
      if (row) yield row;
    }
  },
};
