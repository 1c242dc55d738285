import type { TableImpl } from '../../types.js';
import { selectAccounts, toSigned32 } from '../common/passwd.js';

/**
 * `users`: local accounts from /etc/passwd, as getent passwd lists them. `WHERE uid = N` and
 * `WHERE username = 'x'` are pushed down.
 *
 * @example
 * const root = [...users.generate(createTestContext({ constraints: { uid: ['0'] } }))][0];
 */
export const users: TableImpl = {
  name: 'users',
  *generate(ctx) {
    for (const u of selectAccounts(ctx, 'users')) {
      yield {
        uid: u.uid,
        gid: u.gid,
        uid_signed: toSigned32(u.uid),
        gid_signed: toSigned32(u.gid),
        username: u.username,
        description: u.gecos,
        directory: u.directory,
        shell: u.shell,
        uuid: '', // Linux accounts have no UUID; osquery leaves the column empty.
        type: null,
        is_hidden: null,
        pid_with_namespace: 0,
        include_remote: null,
      };
    }
  },
};
