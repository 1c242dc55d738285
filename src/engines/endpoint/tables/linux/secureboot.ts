import type { Row, TableImpl } from '../../types.js';
import { readBytesOrUndefined } from '../common/proc.js';

export const EFIVARS_DIR = '/sys/firmware/efi/efivars';
/** EFI_GLOBAL_VARIABLE, the vendor GUID of SecureBoot and SetupMode. */
export const EFI_GLOBAL_GUID = '8be4df61-93ca-11d2-aa0d-00e098032b8c';

/**
 * The boolean of an efivarfs file: 4 attribute bytes then the value; 1/0, -1 for another value, null
 * when the variable is missing or short.
 *
 * @example
 * efiBool(Buffer.from([6, 0, 0, 0, 1])) // 1
 */
export function efiBool(bytes: Buffer | undefined): number | null {
  if (bytes === undefined || bytes.length < 5) return null;
  const v = bytes[4]!;
  return v === 0 || v === 1 ? v : -1;
}

/**
 * `secureboot`: UEFI Secure Boot and Setup Mode state from efivarfs; no row on a machine booted without
 * UEFI.
 *
 * @example
 * const [sb] = secureboot.generate(createTestContext());
 */
export const secureboot: TableImpl = {
  name: 'secureboot',
  *generate() {
    const secureBoot = efiBool(readBytesOrUndefined(`${EFIVARS_DIR}/SecureBoot-${EFI_GLOBAL_GUID}`));
    const setupMode = efiBool(readBytesOrUndefined(`${EFIVARS_DIR}/SetupMode-${EFI_GLOBAL_GUID}`));
    // Booted without UEFI (or without efivarfs): nothing to report, as osquery 5 reports nothing.
    if (secureBoot === null && setupMode === null) return;
    const row: Row = {
      secure_boot: secureBoot,
      secure_mode: null,
      description: null,
      kernel_extensions: null,
      mdm_operations: null,
      setup_mode: setupMode,
    };
    yield row;
  },
};
