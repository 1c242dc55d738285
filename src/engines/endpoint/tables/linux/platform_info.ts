/**
 * platform_info: the system firmware (BIOS/UEFI) vendor, version and date, from the SMBIOS type 0
 * record the kernel exports in /sys/class/dmi/id. Machines without SMBIOS have no row.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readAttr } from '../common/sysfs.js';
import type { Row, TableImpl } from '../../types.js';

export const DMI_ID = '/sys/class/dmi/id';

/** The row for a dmi/id directory, or undefined when the firmware publishes no BIOS record. */
export function platformInfoRow(dir = DMI_ID, efi = existsSync('/sys/firmware/efi')): Row | undefined {
  const vendor = readAttr(join(dir, 'bios_vendor'));
  const version = readAttr(join(dir, 'bios_version'));
  if (vendor === '' && version === '') return undefined;
  return {
    vendor,
    version,
    date: readAttr(join(dir, 'bios_date')),
    revision: readAttr(join(dir, 'bios_release')),
    // The ROM address, size and characteristics ("extra") are only in the raw SMBIOS table.
    extra: '',
    firmware_type: efi ? 'uefi' : 'bios',
    address: '',
    size: '',
    volume_size: null,
  };
}

/** Generator for osquery's `platform_info` table. */
export const platformInfo: TableImpl = {
  name: 'platform_info',
  *generate() {
    const row = platformInfoRow();
    if (row) yield row;
  },
};
