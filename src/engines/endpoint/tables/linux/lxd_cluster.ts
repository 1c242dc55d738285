/** lxd_cluster: this LXD server's cluster settings, one row per member configuration key. */
import { dj } from '../common/docker-api.js';
import { lxdGet } from '../common/lxd-api.js';
import type { Row, TableImpl } from '../../types.js';

/** Rows for a /1.0/cluster answer. */
export function lxdClusterRows(body: unknown): Row[] {
  if (body === undefined) return [];
  const c = dj.obj(body);
  const base = { server_name: dj.str(c.server_name), enabled: dj.bool(c.enabled) };
  const config = dj.arr(c.member_config).map(dj.obj);
  if (config.length === 0) return [{ ...base, member_config_entity: '', member_config_name: '', member_config_key: '', member_config_value: '', member_config_description: '' }];
  return config.map((m) => ({
    ...base,
    member_config_entity: dj.str(m.entity),
    member_config_name: dj.str(m.name),
    member_config_key: dj.str(m.key),
    member_config_value: dj.str(m.value),
    member_config_description: dj.str(m.description),
  }));
}

/** Generator for osquery's `lxd_cluster` table. */
export const lxdCluster: TableImpl = {
  name: 'lxd_cluster',
  generate: (ctx) => lxdClusterRows(lxdGet(['/1.0/cluster'], ctx, 'lxd_cluster')[0]),
};
