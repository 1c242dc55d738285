import type { TableImpl } from '../../types.js';

/**
 * `osquery_extensions`: Vigil loads no osquery extensions (it has no extension socket), so the table is
 * empty, as osqueryi's is when no extension is connected.
 *
 * @example
 * vigil query "select * from osquery_extensions" // []
 */
export const osqueryExtensions: TableImpl = {
  name: 'osquery_extensions',
  *generate() {
    // Nothing to read: no extension can be loaded.
  },
};
