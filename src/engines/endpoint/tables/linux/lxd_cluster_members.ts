/** lxd_cluster_members: the members of the LXD cluster this server belongs to. */
import { dj } from '../common/docker-api.js';
import { lxdGet } from '../common/lxd-api.js';
import type { Row, TableImpl } from '../../types.js';

/** Rows for a /1.0/cluster/members?recursion=1 answer. */
export function lxdClusterMemberRows(body: unknown): Row[] {
  return dj.arr(body).map((x) => {
    const m = dj.obj(x);
    return { server_name: dj.str(m.server_name), url: dj.str(m.url), database: dj.bool(m.database), status: dj.str(m.status), message: dj.str(m.message) };
  });
}

/** Generator for osquery's `lxd_cluster_members` table. */
export const lxdClusterMembers: TableImpl = {
  name: 'lxd_cluster_members',
  generate: (ctx) => lxdClusterMemberRows(lxdGet(['/1.0/cluster/members?recursion=1'], ctx, 'lxd_cluster_members')[0]),
};
