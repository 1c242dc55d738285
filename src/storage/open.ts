/**
 * Picks and opens a storage driver. Only the CLI, the server and tests import this file;
 * engines receive a `Store` and never know which driver is behind it.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../core/errors.js';
import type { Store, StoreSpec } from './types.js';
import { openSqliteStore } from './sqlite/driver.js';
import { openPostgresStore } from './postgres/driver.js';

/**
 * @example
 * const store = await openStore({ driver: 'sqlite', path: '/var/lib/vigil/vigil.db' });
 */
export async function openStore(spec: StoreSpec): Promise<Store> {
  if (spec.driver === 'postgres') return openPostgresStore(spec.url);
  if (spec.path !== ':memory:' && spec.path !== '') {
    try {
      mkdirSync(dirname(spec.path), { recursive: true });
    } catch (cause) {
      throw new AppError('STORE_OPEN', `cannot create the directory for ${spec.path}: ${(cause as Error).message}`, { cause });
    }
  }
  return openSqliteStore(spec.path);
}

/** Parses `sqlite:PATH`, `postgres://...`/`postgresql://...` or a bare file path into a StoreSpec. */
export function parseStoreUrl(value: string): StoreSpec {
  if (/^postgres(ql)?:\/\//.test(value)) return { driver: 'postgres', url: value };
  if (value.startsWith('sqlite:')) return { driver: 'sqlite', path: value.slice('sqlite:'.length) };
  return { driver: 'sqlite', path: value };
}
