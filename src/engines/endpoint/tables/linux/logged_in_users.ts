import type { Row, TableImpl } from '../../types.js';
import { readBytesOrUndefined } from '../common/proc.js';
import { UTMP_FILE, parseUtmp, type UtmpRecord } from '../common/utmp.js';

const TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'empty',
  1: 'runlevel',
  2: 'boot_time',
  3: 'new_time',
  4: 'old_time',
  5: 'init',
  6: 'login',
  7: 'user',
  8: 'dead',
  9: 'accounting',
};

/**
 * logged_in_users rows for utmp records, as osquery builds them: every entry except those of pid 1.
 *
 * @example
 * loggedInRows(parseUtmp(bytes))
 */
export function loggedInRows(records: readonly UtmpRecord[]): Row[] {
  return records
    .filter((r) => r.pid !== 1)
    .map((r) => ({
      type: TYPE_NAMES[r.type] ?? 'unknown',
      user: r.user,
      tty: r.line,
      host: r.host,
      time: r.time,
      pid: r.pid,
      sid: null,
      registry_hive: null,
    }));
}

/**
 * `logged_in_users`: the current sessions from /var/run/utmp (nothing when no login manager keeps it).
 *
 * @example
 * const sessions = [...loggedInUsers.generate(createTestContext())].filter((r) => r.type === 'user');
 */
export const loggedInUsers: TableImpl = {
  name: 'logged_in_users',
  *generate() {
    const bytes = readBytesOrUndefined(UTMP_FILE);
    if (bytes !== undefined) yield* loggedInRows(parseUtmp(bytes));
  },
};
