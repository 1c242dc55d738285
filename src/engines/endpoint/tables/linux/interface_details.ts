/**
 * interface_details: link-level facts and counters of each interface from /sys/class/net
 * (what osquery gets from getifaddrs' AF_PACKET entries, SIOCGIFFLAGS and ethtool).
 */
import { join } from 'node:path';
import { SYS_CLASS_NET, interfaceFlags, listInterfaces, pciSlotOf } from '../common/netdev.js';
import { readAttr, readIntAttr } from '../common/sysfs.js';
import type { QueryContext, Row, TableImpl } from '../../types.js';

const WINDOWS_ONLY = [
  'friendly_name', 'description', 'manufacturer', 'connection_id', 'connection_status', 'enabled',
  'physical_adapter', 'speed', 'service', 'dhcp_enabled', 'dhcp_lease_expires', 'dhcp_lease_obtained',
  'dhcp_server', 'dns_domain', 'dns_domain_suffix_search_order', 'dns_host_name', 'dns_server_search_order',
];

function counter(dir: string, name: string): number {
  return readIntAttr(join(dir, 'statistics', name)) ?? 0;
}

/** The row for one interface, or undefined when it vanished while being read. */
export function interfaceDetailsRow(name: string, root = SYS_CLASS_NET): Row | undefined {
  const dir = join(root, name);
  const flags = interfaceFlags(name, root);
  if (flags === undefined) return undefined;
  const speed = readIntAttr(join(dir, 'speed'));
  const row: Row = {
    interface: name,
    mac: readAttr(join(dir, 'address')),
    // osquery stores the ARPHRD type in an unsigned char: loopback's 772 shows as 4.
    type: (readIntAttr(join(dir, 'type')) ?? 0) & 0xff,
    mtu: readIntAttr(join(dir, 'mtu')) ?? 0,
    metric: 0,
    flags,
    ipackets: counter(dir, 'rx_packets'),
    opackets: counter(dir, 'tx_packets'),
    ibytes: counter(dir, 'rx_bytes'),
    obytes: counter(dir, 'tx_bytes'),
    ierrors: counter(dir, 'rx_errors'),
    oerrors: counter(dir, 'tx_errors'),
    idrops: counter(dir, 'rx_dropped'),
    odrops: counter(dir, 'tx_dropped'),
    collisions: counter(dir, 'collisions'),
    // Linux keeps no last-change time per interface; osquery reports -1 too.
    last_change: -1,
    // ethtool's speed in Mb/s; unknown (-1) or unreadable (link down, virtual device) is 0 in osquery.
    link_speed: speed !== undefined && speed > 0 ? speed : 0,
    pci_slot: pciSlotOf(name, root),
  };
  for (const col of WINDOWS_ONLY) row[col] = null;
  return row;
}

/** Generator for osquery's `interface_details` table. */
export const interfaceDetails: TableImpl = {
  name: 'interface_details',
  *generate(ctx: QueryContext) {
    for (const name of listInterfaces()) {
      const row = interfaceDetailsRow(name);
      if (row) yield row;
      else ctx.warn(`interface_details: interface ${name} vanished while being read`);
    }
  },
};
