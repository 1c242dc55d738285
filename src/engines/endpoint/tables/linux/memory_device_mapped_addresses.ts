/** memory_device_mapped_addresses: address ranges of memory devices (SMBIOS type 20 structures). */
import { byte, dword, hexStr, machineStructures, qword, word, type SmbiosStructure } from '../common/smbios.js';
import type { Row, TableImpl } from '../../types.js';

/** The row for a Memory Device Mapped Address structure, or undefined when it is too short. */
export function memoryDeviceMappedAddressRow(s: SmbiosStructure): Row | undefined {
  if (s.type !== 20 || s.bytes.length < 0x23) return undefined;
  const start = dword(s, 0x04) ?? 0;
  const extended = start === 0xffffffff;
  return {
    handle: hexStr(s.handle),
    memory_device_handle: hexStr(word(s, 0x0c) ?? 0),
    memory_array_mapped_address_handle: hexStr(word(s, 0x0e) ?? 0),
    starting_address: extended ? hexStr(qword(s, 0x13) ?? 0n, 12) : hexStr(start, 8),
    ending_address: extended ? hexStr(qword(s, 0x1b) ?? 0n, 12) : hexStr(dword(s, 0x08) ?? 0, 8),
    partition_row_position: byte(s, 0x10) ?? null,
    interleave_position: byte(s, 0x11) ?? null,
    interleave_data_depth: byte(s, 0x12) ?? null,
  };
}

/** Generator for osquery's `memory_device_mapped_addresses` table. */
export const memoryDeviceMappedAddresses: TableImpl = {
  name: 'memory_device_mapped_addresses',
  *generate() {
    for (const s of machineStructures(20)) {
      const row = memoryDeviceMappedAddressRow(s);
      if (row) yield row;
    }
  },
};
