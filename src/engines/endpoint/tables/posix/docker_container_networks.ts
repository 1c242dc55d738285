/** docker_container_networks: the networks each container of the local Docker Engine is attached to. */
import { dj, dockerFilters, dockerJson } from '../common/docker-api.js';
import type { Row, TableImpl } from '../../types.js';

/** Rows for a /containers/json answer. */
export function dockerContainerNetworkRows(body: unknown): Row[] {
  return dj.arr(body).flatMap((x) => {
    const c = dj.obj(x);
    return Object.entries(dj.obj(dj.obj(c.NetworkSettings).Networks)).map(([name, n]) => {
      const net = dj.obj(n);
      return {
        id: dj.str(c.Id), name, network_id: dj.str(net.NetworkID), endpoint_id: dj.str(net.EndpointID), gateway: dj.str(net.Gateway),
        ip_address: dj.str(net.IPAddress), ip_prefix_len: dj.num(net.IPPrefixLen), ipv6_gateway: dj.str(net.IPv6Gateway),
        ipv6_address: dj.str(net.GlobalIPv6Address), ipv6_prefix_len: dj.num(net.GlobalIPv6PrefixLen), mac_address: dj.str(net.MacAddress),
      };
    });
  });
}

/** Generator for osquery's `docker_container_networks` table. */
export const dockerContainerNetworks: TableImpl = {
  name: 'docker_container_networks',
  generate: (ctx) => dockerContainerNetworkRows(dockerJson(`/containers/json?all=1&${dockerFilters({ id: ctx.constraint('id') })}`, ctx, 'docker_container_networks')),
};
