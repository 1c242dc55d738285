import type { TableImpl } from '../../types.js';
import { readGroups, selectAccounts } from '../common/passwd.js';

/**
 * `user_groups`: each account's groups as getgrouplist(3) gives them (the primary group first, then
 * every group that lists the user as a member). `WHERE uid = N` is pushed down.
 *
 * @example
 * const rootGroups = [...userGroups.generate(createTestContext({ constraints: { uid: ['0'] } }))];
 */
export const userGroups: TableImpl = {
  name: 'user_groups',
  *generate(ctx) {
    const accounts = selectAccounts(ctx, 'user_groups');
    if (accounts.length === 0) return;
    const groups = readGroups(ctx, 'user_groups');
    const gidFilter = ctx.constraint('gid');
    for (const u of accounts) {
      const gids = [u.gid];
      for (const g of groups) if (g.members.includes(u.username) && !gids.includes(g.gid)) gids.push(g.gid);
      for (const gid of gids) {
        if (gidFilter !== undefined && !gidFilter.includes(String(gid))) continue;
        yield { uid: u.uid, gid };
      }
    }
  },
};
