/** interface_ipv6: per-interface IPv6 settings from /proc/sys/net/ipv6/conf/<interface>/. */
import { join } from 'node:path';
import { listInterfaces } from '../common/netdev.js';
import { readIntAttr } from '../common/sysfs.js';
import type { Row, TableImpl } from '../../types.js';

const CONF = '/proc/sys/net/ipv6/conf';

/** The row for one interface, or undefined when IPv6 is off for it (no conf directory). */
export function interfaceIpv6Row(name: string, conf = CONF): Row | undefined {
  const dir = join(conf, name);
  const hop = readIntAttr(join(dir, 'hop_limit'));
  if (hop === undefined) return undefined;
  return {
    interface: name,
    hop_limit: hop,
    forwarding_enabled: readIntAttr(join(dir, 'forwarding')) ?? 0,
    redirect_accept: readIntAttr(join(dir, 'accept_redirects')) ?? 0,
    rtadv_accept: readIntAttr(join(dir, 'accept_ra')) ?? 0,
  };
}

/** Generator for osquery's `interface_ipv6` table. */
export const interfaceIpv6: TableImpl = {
  name: 'interface_ipv6',
  *generate() {
    for (const name of listInterfaces()) {
      const row = interfaceIpv6Row(name);
      if (row) yield row;
    }
  },
};
