/**
 * The endpoint engine's public API: osquery-compatible SQL over the machine's own data.
 *
 * @example
 * import { createEndpointEngine } from './engines/endpoint/index.js';
 * const engine = createEndpointEngine();
 * console.log(engine.all('select pid, name from processes where pid = 1'));
 * engine.close();
 */
import { tableSpecs } from './specs/index.js';
import { tableRegistry } from './tables/index.js';
import { EndpointEngine } from './vtab/engine.js';

export { EndpointEngine } from './vtab/engine.js';
export type { QueryCursor, QueryOptions, SqlValue, ScanStats } from './vtab/engine.js';
export { formatRows, formatValue, jsonArray, OUTPUT_MODES, type OutputMode } from './shell/format.js';
export { splitStatements } from './vtab/sql-text.js';
export { tableSpecs } from './specs/index.js';
export { tableRegistry } from './tables/index.js';
export { ENDPOINT_ERRORS } from './error-codes.js';

/** An engine with every implemented table. */
export function createEndpointEngine(): EndpointEngine {
  return new EndpointEngine({ tables: tableRegistry.list(), specs: tableSpecs });
}
