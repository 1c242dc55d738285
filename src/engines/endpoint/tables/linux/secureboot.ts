/**
 * secureboot: UEFI Secure Boot and Setup Mode from the SecureBoot and SetupMode EFI variables
 * (efivarfs). Machines booted without UEFI have no such variables and no row.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Row, TableImpl } from '../../types.js';

export const EFIVARS = '/sys/firmware/efi/efivars';
/** EFI_GLOBAL_VARIABLE's GUID, under which both variables live. */
const GLOBAL_GUID = '8be4df61-93ca-11d2-aa0d-00e098032b8c';

/** An efivarfs file holds 4 bytes of attributes, then the data: here one byte, 0 or 1. */
export function efiBoolean(file: Buffer | undefined): number | null {
  if (file === undefined || file.length < 5) return null;
  return file[4] === 1 ? 1 : 0;
}

function readVar(dir: string, name: string): Buffer | undefined {
  try {
    return readFileSync(join(dir, `${name}-${GLOBAL_GUID}`));
  } catch {
    return undefined;
  }
}

/** The row for an efivarfs directory, or undefined without a SecureBoot variable. */
export function secureBootRow(dir = EFIVARS): Row | undefined {
  const secure = efiBoolean(readVar(dir, 'SecureBoot'));
  if (secure === null) return undefined;
  return { secure_boot: secure, secure_mode: null, description: null, kernel_extensions: null, mdm_operations: null, setup_mode: efiBoolean(readVar(dir, 'SetupMode')) };
}

/** Generator for osquery's `secureboot` table. */
export const secureboot: TableImpl = {
  name: 'secureboot',
  *generate() {
    const row = secureBootRow();
    if (row) yield row;
  },
};
