/** lxd_networks: networks LXD knows (managed bridges and host interfaces) with their state and counters. */
import { dj } from '../common/docker-api.js';
import { lxdGet } from '../common/lxd-api.js';
import type { Row, TableImpl } from '../../types.js';

/** The row for a network object and its /state. */
export function lxdNetworkRow(network: unknown, state: unknown): Row {
  const n = dj.obj(network);
  const s = dj.obj(state);
  const config = dj.obj(n.config);
  const counters = dj.obj(s.counters);
  return {
    name: dj.str(n.name),
    type: dj.str(n.type),
    managed: dj.bool(n.managed),
    ipv4_address: dj.str(config['ipv4.address']),
    ipv6_address: dj.str(config['ipv6.address']),
    used_by: dj.arr(n.used_by).filter((u) => typeof u === 'string').join(','),
    bytes_received: dj.num(counters.bytes_received),
    bytes_sent: dj.num(counters.bytes_sent),
    packets_received: dj.num(counters.packets_received),
    packets_sent: dj.num(counters.packets_sent),
    hwaddr: dj.str(s.hwaddr),
    state: dj.str(s.state),
    mtu: dj.num(s.mtu),
  };
}

/** Generator for osquery's `lxd_networks` table. */
export const lxdNetworks: TableImpl = {
  name: 'lxd_networks',
  *generate(ctx) {
    const networks = dj.arr(lxdGet(['/1.0/networks?recursion=1'], ctx, 'lxd_networks')[0]);
    const states = lxdGet(networks.map((n) => `/1.0/networks/${encodeURIComponent(dj.str(dj.obj(n).name))}/state`), ctx, 'lxd_networks');
    for (let i = 0; i < networks.length; i++) yield lxdNetworkRow(networks[i], states[i]);
  },
};
