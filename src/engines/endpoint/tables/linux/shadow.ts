import type { TableImpl } from '../../types.js';
import { readShadow } from '../common/passwd.js';

/**
 * osquery's password_status for a shadow password field.
 *
 * @example
 * passwordStatus('!!') // 'not_set'
 */
export function passwordStatus(password: string): string {
  if (password === '!!') return 'not_set';
  if (password.startsWith('!') || password.startsWith('*') || password.startsWith('x')) return 'locked';
  if (password === '') return 'empty';
  return 'active';
}

/**
 * The crypt(3) algorithm id of a hash ("$6$..." -> "6", "$y$..." -> "y"), or null.
 *
 * @example
 * hashAlgorithm('$y$j9T$abc$def') // 'y'
 */
export function hashAlgorithm(password: string): string | null {
  return /^\$(\w+)\$/.exec(password)?.[1] ?? null;
}

/**
 * `shadow`: password aging and status from /etc/shadow (readable by root only; otherwise one warning and
 * no rows). The hash itself is never returned. `WHERE username = 'x'` is pushed down.
 *
 * @example
 * const rows = [...shadow.generate(createTestContext({ constraints: { username: ['root'] } }))];
 */
export const shadow: TableImpl = {
  name: 'shadow',
  *generate(ctx) {
    const names = ctx.constraint('username');
    for (const s of readShadow(ctx, 'shadow')) {
      if (names !== undefined && !names.includes(s.username)) continue;
      yield {
        password_status: passwordStatus(s.password),
        hash_alg: hashAlgorithm(s.password),
        last_change: s.lastChange,
        min: s.min,
        max: s.max,
        warning: s.warning,
        inactive: s.inactive,
        expire: s.expire,
        flag: s.flag,
        username: s.username,
      };
    }
  },
};
