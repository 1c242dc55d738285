/** memory_devices: memory modules and sockets (SMBIOS type 17 structures). */
import { SMBIOS_ENUMS, byte, dword, enumName, hexStr, machineStructures, smbiosString, word, type SmbiosStructure } from '../common/smbios.js';
import type { Row, TableImpl } from '../../types.js';

const nonZero = (v: number | undefined) => (v === undefined || v === 0 ? null : v);

/** The row for a Memory Device structure, or undefined when it is too short to be one. */
export function memoryDeviceRow(s: SmbiosStructure): Row | undefined {
  if (s.type !== 17 || s.bytes.length < 0x2a) return undefined;
  const total = word(s, 0x08);
  const data = word(s, 0x0a);
  const size = word(s, 0x0c);
  const set = byte(s, 0x0f);
  const details = word(s, 0x13) ?? 0;
  const maxSpeed = word(s, 0x15);
  const confSpeed = word(s, 0x20);
  const speed = (v: number | undefined) => (v === undefined || v === 0 || v === 0xffff ? null : v);
  return {
    handle: hexStr(s.handle),
    array_handle: hexStr(word(s, 0x04) ?? 0),
    form_factor: enumName(SMBIOS_ENUMS.formFactor, byte(s, 0x0e)),
    total_width: total === undefined || total === 0xffff ? null : total,
    data_width: data === undefined || data === 0xffff ? null : data,
    // 0x7FFF means "see the extended size" (in MB, at 0x1C); 0xFFFF means unknown.
    size: size === undefined || size === 0xffff ? null : size === 0x7fff ? (dword(s, 0x1c) ?? null) : size,
    set: set === undefined || set === 0xff ? null : set,
    device_locator: smbiosString(s, byte(s, 0x10) ?? 0),
    bank_locator: smbiosString(s, byte(s, 0x11) ?? 0),
    memory_type: enumName(SMBIOS_ENUMS.memoryType, byte(s, 0x12)),
    memory_type_details: SMBIOS_ENUMS.typeDetail.filter((_, bit) => details & (1 << bit)).join(' '),
    max_speed: speed(maxSpeed),
    configured_clock_speed: speed(confSpeed),
    manufacturer: smbiosString(s, byte(s, 0x17) ?? 0),
    serial_number: smbiosString(s, byte(s, 0x18) ?? 0),
    asset_tag: smbiosString(s, byte(s, 0x19) ?? 0),
    part_number: smbiosString(s, byte(s, 0x1a) ?? 0),
    min_voltage: nonZero(word(s, 0x22)),
    max_voltage: nonZero(word(s, 0x24)),
    configured_voltage: nonZero(word(s, 0x26)),
  };
}

/** Generator for osquery's `memory_devices` table. */
export const memoryDevices: TableImpl = {
  name: 'memory_devices',
  *generate() {
    for (const s of machineStructures(17)) {
      const row = memoryDeviceRow(s);
      if (row) yield row;
    }
  },
};
