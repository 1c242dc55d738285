/** docker_networks: networks of the local Docker Engine (GET /networks), one row per IPAM subnet. */
import { dj, dockerFilters, dockerJson } from '../common/docker-api.js';
import type { Row, TableImpl } from '../../types.js';

/** Rows for a /networks answer. */
export function dockerNetworkRows(body: unknown): Row[] {
  return dj.arr(body).flatMap((x) => {
    const n = dj.obj(x);
    const base = { id: dj.str(n.Id), name: dj.str(n.Name), driver: dj.str(n.Driver), created: dj.time(n.Created), enable_ipv6: dj.bool(n.EnableIPv6) };
    const configs = dj.arr(dj.obj(n.IPAM).Config).map(dj.obj);
    if (configs.length === 0) return [{ ...base, subnet: '', gateway: '' }];
    return configs.map((c) => ({ ...base, subnet: dj.str(c.Subnet), gateway: dj.str(c.Gateway) }));
  });
}

/** Generator for osquery's `docker_networks` table. */
export const dockerNetworks: TableImpl = {
  name: 'docker_networks',
  generate: (ctx) => dockerNetworkRows(dockerJson(`/networks?${dockerFilters({ id: ctx.constraint('id') })}`, ctx, 'docker_networks')),
};
