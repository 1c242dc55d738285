/**
 * The store interface every engine writes to. Engines import only this file; `open.ts` (used by the
 * CLI and server) picks a driver. SQL uses `?` placeholders on both drivers; the PostgreSQL driver
 * rewrites them to `$n`.
 */
export * from './types.js';
export { STORAGE_ERRORS } from './error-codes.js';
export { validateMigrationSet } from './migrations.js';
