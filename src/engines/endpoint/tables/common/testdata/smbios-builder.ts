/** Builds SMBIOS structures byte by byte (DSP0134 layout) for the SMBIOS table tests. */

/** One structure: type, handle, the formatted bytes after the 4-byte header, then its strings. */
export function smbiosStructure(type: number, handle: number, fields: readonly number[], strings: readonly string[] = []): Buffer {
  const header = Buffer.from([type, 4 + fields.length, handle & 0xff, handle >> 8]);
  const text = strings.length === 0 ? Buffer.from([0, 0]) : Buffer.concat([...strings.map((s) => Buffer.from(`${s}\0`, 'latin1')), Buffer.from([0])]);
  return Buffer.concat([header, Buffer.from(fields), text]);
}

/** Little-endian byte lists for formatted fields. */
export const le16 = (n: number): number[] => [n & 0xff, (n >> 8) & 0xff];
export const le32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
export const le64 = (n: bigint): number[] => Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));

/** A type 17 Memory Device structure: 16 GiB DDR4 DIMM "DIMM 0" in "BANK 0", 3200 MT/s, 1.2 V. */
export function memoryDevice17(handle = 0x1100): Buffer {
  const f = [
    ...le16(0x1000), // 0x04 physical memory array handle
    ...le16(0xfffe), // 0x06 error information handle
    ...le16(72), // 0x08 total width
    ...le16(64), // 0x0A data width
    ...le16(0x7fff), // 0x0C size: see extended size
    0x09, // 0x0E form factor: DIMM
    0x00, // 0x0F device set
    1, // 0x10 device locator string
    2, // 0x11 bank locator string
    0x1a, // 0x12 memory type: DDR4
    ...le16(0x0080 | 0x2000), // 0x13 type detail: Synchronous, Registered (Buffered)
    ...le16(3200), // 0x15 speed
    3, // 0x17 manufacturer
    4, // 0x18 serial number
    0, // 0x19 asset tag: none
    5, // 0x1A part number
    0x02, // 0x1B attributes (rank 2)
    ...le32(16384), // 0x1C extended size (MB)
    ...le16(2933), // 0x20 configured memory speed
    ...le16(1200), // 0x22 minimum voltage
    ...le16(1200), // 0x24 maximum voltage
    ...le16(1200), // 0x26 configured voltage
  ];
  return smbiosStructure(17, handle, f, ['DIMM 0', 'BANK 0', 'Samsung', '12345678', 'M393A2K43DB3-CWE   ']);
}
