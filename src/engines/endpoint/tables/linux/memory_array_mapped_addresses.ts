/** memory_array_mapped_addresses: address ranges of memory arrays (SMBIOS type 19 structures). */
import { byte, dword, hexStr, machineStructures, qword, word, type SmbiosStructure } from '../common/smbios.js';
import type { Row, TableImpl } from '../../types.js';

/** The row for a Memory Array Mapped Address structure, or undefined when it is too short. */
export function memoryArrayMappedAddressRow(s: SmbiosStructure): Row | undefined {
  if (s.type !== 19 || s.bytes.length < 0x1f) return undefined;
  const start = dword(s, 0x04) ?? 0;
  const extended = start === 0xffffffff;
  return {
    handle: hexStr(s.handle),
    memory_array_handle: hexStr(word(s, 0x0c) ?? 0),
    starting_address: extended ? hexStr(qword(s, 0x0f) ?? 0n, 12) : hexStr(start, 8),
    ending_address: extended ? hexStr(qword(s, 0x17) ?? 0n, 12) : hexStr(dword(s, 0x08) ?? 0, 8),
    partition_width: byte(s, 0x0e) ?? null,
  };
}

/** Generator for osquery's `memory_array_mapped_addresses` table. */
export const memoryArrayMappedAddresses: TableImpl = {
  name: 'memory_array_mapped_addresses',
  *generate() {
    for (const s of machineStructures(19)) {
      const row = memoryArrayMappedAddressRow(s);
      if (row) yield row;
    }
  },
};
