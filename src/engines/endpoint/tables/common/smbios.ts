/**
 * SMBIOS (DMI) structures from the table the kernel exports at /sys/firmware/dmi/tables/DMI (root
 * only), shared by smbios_tables, memory_devices, oem_strings and the memory_* tables. Layout and
 * field offsets follow DMTF DSP0134; malformed data ends the walk instead of throwing.
 */
import { readFileSync } from 'node:fs';

export const DMI_TABLE = '/sys/firmware/dmi/tables/DMI';

export interface SmbiosStructure {
  /** Position in the table, from 0. */
  readonly index: number;
  readonly type: number;
  /** Length of the formatted part (the header's length byte). */
  readonly length: number;
  readonly handle: number;
  /** The whole structure: formatted part, strings and the double NUL. */
  readonly bytes: Buffer;
  /** The formatted part. */
  readonly formatted: Buffer;
  /** The strings that follow it (1-based in SMBIOS; index 0 here is string 1). */
  readonly strings: readonly string[];
}

/**
 * Splits a raw SMBIOS table into structures.
 *
 * @example
 * parseSmbios(readFileSync('/sys/firmware/dmi/tables/DMI')).filter((s) => s.type === 17);
 */
export function parseSmbios(table: Buffer): SmbiosStructure[] {
  const out: SmbiosStructure[] = [];
  let off = 0;
  while (off + 4 <= table.length) {
    const type = table[off];
    const length = table[off + 1];
    const handle = table.readUInt16LE(off + 2);
    if (length < 4 || off + length > table.length) break;
    if (length === 0 && handle === 0) break;
    // Strings follow the formatted part and end with two NULs (just two NULs when there are none).
    let end = off + length;
    while (end + 1 < table.length && !(table[end] === 0 && table[end + 1] === 0)) end++;
    end = Math.min(end + 2, table.length);
    const text = table.subarray(off + length, end).toString('latin1');
    const body = text.endsWith('\0\0') ? text.slice(0, -2) : text.replace(/\0+$/, '');
    const strings = body === '' ? [] : body.split('\0');
    out.push({
      index: out.length,
      type,
      length,
      handle,
      bytes: table.subarray(off, end),
      formatted: table.subarray(off, off + length),
      strings,
    });
    off = end;
    if (type === 127) break; // end-of-table
  }
  return out;
}

/** The table the firmware exported, or undefined (no SMBIOS, or not root). */
export function readSmbiosTable(path = DMI_TABLE): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/** String number `n` (1-based; 0 means none) of a structure, right-trimmed as osquery does. */
export function smbiosString(s: SmbiosStructure, n: number): string {
  if (n === 0) return '';
  return (s.strings[n - 1] ?? '').replace(/\s+$/, '');
}

/** "0x" and at least `width` lowercase hex digits. */
export function hexStr(n: number | bigint, width = 4): string {
  return `0x${n.toString(16).padStart(width, '0')}`;
}

/** Little-endian readers that answer undefined past the formatted part. */
export function word(s: SmbiosStructure, off: number): number | undefined {
  return off + 2 <= s.formatted.length ? s.formatted.readUInt16LE(off) : undefined;
}
export function dword(s: SmbiosStructure, off: number): number | undefined {
  return off + 4 <= s.formatted.length ? s.formatted.readUInt32LE(off) : undefined;
}
export function qword(s: SmbiosStructure, off: number): bigint | undefined {
  return off + 8 <= s.formatted.length ? s.formatted.readBigUInt64LE(off) : undefined;
}
export function byte(s: SmbiosStructure, off: number): number | undefined {
  return off < s.formatted.length ? s.formatted[off] : undefined;
}

export const SMBIOS_TYPE_NAMES: Record<number, string> = {
  0: 'BIOS Information', 1: 'System Information', 2: 'Base Board or Module Information', 3: 'System Enclosure or Chassis',
  4: 'Processor Information', 5: 'Memory Controller Information', 6: 'Memory Module Information', 7: 'Cache Information',
  8: 'Port Connector Information', 9: 'System Slots', 10: 'On Board Devices Information', 11: 'OEM Strings',
  12: 'System Configuration Options', 13: 'BIOS Language Information', 14: 'Group Associations', 15: 'System Event Log',
  16: 'Physical Memory Array', 17: 'Memory Device', 18: '32-bit Memory Error Information', 19: 'Memory Array Mapped Address',
  20: 'Memory Device Mapped Address', 21: 'Built-in Pointing Device', 22: 'Portable Battery', 23: 'System Reset',
  24: 'Hardware Security', 25: 'System Power Controls', 26: 'Voltage Probe', 27: 'Cooling Device', 28: 'Temperature Probe',
  29: 'Electrical Current Probe', 30: 'Out-of-Band Remote Access', 31: 'Boot Integrity Services', 32: 'System Boot Information',
  33: '64-bit Memory Error Information', 34: 'Management Device', 35: 'Management Device Component',
  36: 'Management Device Threshold Data', 37: 'Memory Channel', 38: 'IPMI Device Information', 39: 'System Power Supply',
  40: 'Additional Information', 41: 'Onboard Devices Extended Info', 126: 'Inactive', 127: 'End-of-Table',
  130: 'Memory SPD Data', 131: 'OEM Processor Type', 132: 'OEM Processor Bus Speed',
};

/** DSP0134 enumerations used by the memory tables. */
export const SMBIOS_ENUMS = {
  formFactor: ['', 'Other', 'Unknown', 'SIMM', 'SIP', 'Chip', 'DIP', 'ZIP', 'Proprietary Card', 'DIMM', 'TSOP', 'Row of chips', 'RIMM', 'SODIMM', 'SRIMM', 'FB-DIMM'],
  memoryType: ['', 'Other', 'Unknown', 'DRAM', 'EDRAM', 'VRAM', 'SRAM', 'RAM', 'ROM', 'FLASH', 'EEPROM', 'FEPROM', 'EPROM', 'CDRAM', '3DRAM', 'SDRAM', 'SGRAM', 'RDRAM', 'DDR', 'DDR2', 'DDR2 FB-DIMM', 'RESERVED', 'RESERVED', 'RESERVED', 'DDR3', 'FBD2', 'DDR4', 'LPDDR', 'LPDDR2', 'LPDDR3', 'LPDDR4'],
  typeDetail: ['Reserved', 'Other', 'Unknown', 'Fast-paged', 'Static column', 'Pseudo-static', 'RAMBUS', 'Synchronous', 'CMOS', 'EDO', 'Window DRAM', 'Cache DRAM', 'Non-volatile', 'Registered (Buffered)', 'Unbuffered (Unregistered)', 'LRDIMM'],
  arrayLocation: { 1: 'Other', 2: 'Unknown', 3: 'System board or motherboard', 4: 'ISA add-on card', 5: 'EISA add-on card', 6: 'PCI add-on card', 7: 'MCA add-on card', 8: 'PCMCIA add-on card', 9: 'Proprietary add-on card', 10: 'NuBus', 0xa0: 'PC-98/C20 add-on card', 0xa1: 'PC-98/C24 add-on card', 0xa2: 'PC-98/E add-on card', 0xa3: 'PC-98/Local bus add-on card' } as Record<number, string>,
  arrayUse: ['', 'Other', 'Unknown', 'System memory', 'Video memory', 'Flash memory', 'Non-volatile RAM', 'Cache memory'],
  errorCorrection: ['', 'Other', 'Unknown', 'none', 'Parity', 'Single-bit ECC', 'Multi-bit ECC', 'CRC'],
  errorType: ['', 'Other', 'Unknown', 'OK', 'Bad read', 'Parity error', 'Single-bit error', 'Double-bit error', 'Multi-bit error', 'Nibble error', 'Checksum error', 'CRC error', 'Corrected single-bit error', 'Corrected error', 'Uncorrectable error'],
  errorGranularity: ['', 'Other', 'Unknown', 'Device level', 'Memory partition level'],
  errorOperation: ['', 'Other', 'Unknown', 'Read', 'Write', 'Partial write'],
};

/** An enumeration's name for a value, or null when the value is outside it. */
export function enumName(table: readonly string[] | Record<number, string>, value: number | undefined): string | null {
  if (value === undefined) return null;
  const name = Array.isArray(table) ? table[value] : (table as Record<number, string>)[value];
  return name === undefined || name === '' ? null : name;
}

/** The structures of the machine's SMBIOS table of one type (all types when undefined). */
export function machineStructures(type?: number): SmbiosStructure[] {
  const table = readSmbiosTable();
  if (table === undefined) return [];
  const all = parseSmbios(table);
  return type === undefined ? all : all.filter((s) => s.type === type);
}
