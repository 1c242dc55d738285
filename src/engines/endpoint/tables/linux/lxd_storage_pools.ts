/** lxd_storage_pools: LXD storage pools with their space and inode usage. */
import { dj } from '../common/docker-api.js';
import { lxdGet } from '../common/lxd-api.js';
import type { Row, TableImpl } from '../../types.js';

/** The row for a pool object and its /resources. */
export function lxdStoragePoolRow(pool: unknown, resources: unknown): Row {
  const p = dj.obj(pool);
  const config = dj.obj(p.config);
  const r = dj.obj(resources);
  const space = dj.obj(r.space);
  const inodes = dj.obj(r.inodes);
  return {
    name: dj.str(p.name),
    driver: dj.str(p.driver),
    source: dj.str(config.source),
    size: dj.str(config.size),
    space_used: dj.num(space.used),
    space_total: dj.num(space.total),
    inodes_used: dj.num(inodes.used),
    inodes_total: dj.num(inodes.total),
  };
}

/** Generator for osquery's `lxd_storage_pools` table. */
export const lxdStoragePools: TableImpl = {
  name: 'lxd_storage_pools',
  *generate(ctx) {
    const pools = dj.arr(lxdGet(['/1.0/storage-pools?recursion=1'], ctx, 'lxd_storage_pools')[0]);
    const resources = lxdGet(pools.map((p) => `/1.0/storage-pools/${encodeURIComponent(dj.str(dj.obj(p).name))}/resources`), ctx, 'lxd_storage_pools');
    for (let i = 0; i < pools.length; i++) yield lxdStoragePoolRow(pools[i], resources[i]);
  },
};
