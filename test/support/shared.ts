import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';

/** The repository root. */
export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** ../shared beside the clone (VIGIL_SHARED overrides): real rules, pcaps, feeds and schemas. */
export const sharedDir = resolve(process.env.VIGIL_SHARED ?? join(repoRoot, '..', 'shared'));

/** Path inside ../shared. */
export function sharedPath(...parts: string[]): string {
  return join(sharedDir, ...parts);
}

/**
 * Why a test that needs ../shared/<parts> must skip, or undefined when the data is there.
 *
 * @example
 * const missing = sharedMissing('ids', 'pcaps');
 * describe.skipIf(missing)('real pcaps', () => { ... });
 * if (missing) console.warn(missing);
 */
export function sharedMissing(...parts: string[]): string | undefined {
  const p = sharedPath(...parts);
  return existsSync(p) ? undefined : `skipped: ${p} is missing (the shared data kit ../shared is not beside this clone)`;
}
