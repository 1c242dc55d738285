import type { TableImpl } from '../../types.js';
import { readGroups, toSigned32 } from '../common/passwd.js';

/**
 * `groups`: local groups from /etc/group, as getent group lists them. `WHERE gid = N` is pushed down.
 *
 * @example
 * const root = [...groups.generate(createTestContext({ constraints: { gid: ['0'] } }))][0];
 */
export const groups: TableImpl = {
  name: 'groups',
  *generate(ctx) {
    const gids = ctx.constraint('gid');
    for (const g of readGroups(ctx, 'groups')) {
      if (gids !== undefined && !gids.includes(String(g.gid))) continue;
      yield {
        gid: g.gid,
        gid_signed: toSigned32(g.gid),
        groupname: g.groupname,
        group_sid: null,
        comment: null,
        is_hidden: null,
        pid_with_namespace: 0,
      };
    }
  },
};
