/** The vulnerability store: schema, imports and updates, status. Engines get a `Store`, never a driver. */
export { IMAGE_VULN_MIGRATIONS } from './migrations.js';
export { importFeedPaths, migrateVulnStore, updateSources } from './import.js';
export type { ImportProblem, ImportResult, UpdateOptions, UpdateResult } from './import.js';
export { dbStatus, isVulnStoreInitialised } from './status.js';
export type { DbStatus, NamespaceStatus, SourceStatus } from './status.js';
