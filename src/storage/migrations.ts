import { BugError } from '../core/errors.js';
import type { MigrationSet } from './types.js';

/** Checks that a migration set is numbered 1..n without gaps or duplicates. */
export function validateMigrationSet(set: MigrationSet): void {
  if (!/^[a-z][a-z0-9_]*$/.test(set.namespace)) throw new BugError(`migration namespace ${JSON.stringify(set.namespace)} is not snake_case`);
  set.migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new BugError(`migrations of ${set.namespace} must be numbered 1..n in order; found ${m.version} at position ${i + 1}`);
    }
  });
}

/** The bookkeeping table both drivers keep, created before any migration runs. */
export const MIGRATIONS_TABLE = 'vigil_migrations';
