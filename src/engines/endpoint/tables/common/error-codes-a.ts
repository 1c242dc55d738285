import { defineErrorCodes } from '../../../../core/errors.js';

/**
 * Error codes raised by table batch A's parsers of untrusted bytes. Tables never let them escape: a row
 * whose bytes are corrupt is skipped with one warning naming the source and offset.
 */
export const TABLES_A_ERRORS = defineErrorCodes({
  EP_RPM_HEADER_CORRUPT: {
    summary: 'An RPM package header (a blob in the rpmdb Packages table) is truncated or has an index entry that points outside its data.',
    action: 'The message names the rpmdb file, the package row (hnum) and the byte offset. Run `rpmdb --rebuilddb` on that host; other packages are still listed.',
  },
});
