/**
 * The one table registry: ep-core's tables (file, hash, magic, osquery_extensions, osquery_info,
 * osquery_registry) plus batch A and batch B.
 * createRegistry refuses a table implemented twice.
 */
import { createRegistry, type Registry } from '../../../core/registry.js';
import type { TableImpl } from '../types.js';
import { tablesA } from './list-a.js';
import { tablesB } from './list-b.js';
import { file } from './posix/file.js';
import { hash } from './posix/hash.js';
import { magic } from './posix/magic.js';
import { osqueryExtensions } from './posix/osquery_extensions.js';
import { osqueryInfo } from './posix/osquery_info.js';
import { osqueryRegistryTable } from './posix/osquery_registry.js';

// osquery_registry lists the registry it belongs to, so it reads the names only when queried.
const osqueryRegistry = osqueryRegistryTable(() => tableRegistry.names());

/** ep-core's own tables, sorted by name. */
export const tablesCore: readonly TableImpl[] = [file, hash, magic, osqueryExtensions, osqueryInfo, osqueryRegistry];

/** Every implemented table, by name. */
export const tableRegistry: Registry<TableImpl> = createRegistry('table', [...tablesCore, ...tablesA, ...tablesB]);
