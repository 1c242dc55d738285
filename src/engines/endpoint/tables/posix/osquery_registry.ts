import type { TableImpl } from '../../types.js';

/**
 * `osquery_registry`, answering for Vigil: one `table` row per implemented table (Fleet and packs use it to
 * check that a table exists). Vigil has no config, logger or distributed plugin registries, so it lists none.
 * Built with a function that returns the table names because the table is itself in the registry it lists.
 *
 * @example
 * const osqueryRegistry = osqueryRegistryTable(() => tableRegistry.names());
 * // vigil query "select name from osquery_registry where registry = 'table' and name = 'processes'"
 */
export function osqueryRegistryTable(tableNames: () => readonly string[]): TableImpl {
  return {
    name: 'osquery_registry',
    *generate() {
      for (const name of [...tableNames()].sort()) yield { registry: 'table', name, owner_uuid: 0, internal: 0, active: 1 };
    },
  };
}
