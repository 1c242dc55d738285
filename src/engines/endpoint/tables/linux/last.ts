import type { Row, TableImpl } from '../../types.js';
import { readBytesOrUndefined } from '../common/proc.js';
import { UT, WTMP_FILE, parseUtmp, type UtmpRecord } from '../common/utmp.js';

/**
 * `last` rows for wtmp records, as osquery builds them: login (user-process) and logout (dead-process)
 * records only, in file order.
 *
 * @example
 * lastRows(parseUtmp(bytes))
 */
export function lastRows(records: readonly UtmpRecord[]): Row[] {
  return records
    .filter((r) => r.type === UT.USER_PROCESS || r.type === UT.DEAD_PROCESS)
    .map((r) => ({
      username: r.user,
      tty: r.line,
      pid: r.pid,
      type: r.type,
      type_name: r.type === UT.USER_PROCESS ? 'user-process' : 'dead-process',
      time: r.time,
      host: r.host,
    }));
}

/**
 * `last`: login history from /var/log/wtmp.
 *
 * @example
 * const logins = [...last.generate(createTestContext())].filter((r) => r.type === 7);
 */
export const last: TableImpl = {
  name: 'last',
  *generate() {
    const bytes = readBytesOrUndefined(WTMP_FILE);
    if (bytes !== undefined) yield* lastRows(parseUtmp(bytes));
  },
};
