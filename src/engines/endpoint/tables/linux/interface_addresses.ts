/**
 * interface_addresses: the IPv4 and IPv6 addresses of each interface (os.networkInterfaces(),
 * i.e. getifaddrs), with the broadcast address computed from the mask for broadcast-capable
 * interfaces, as the kernel assigns it by default.
 */
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { IFF_BROADCAST, interfaceFlags } from '../common/netdev.js';
import type { Row, TableImpl } from '../../types.js';

function ipv4Broadcast(address: string, mask: string): string {
  const a = address.split('.').map(Number);
  const m = mask.split('.').map(Number);
  return a.map((octet, i) => (octet | (~m[i] & 0xff)) & 0xff).join('.');
}

/**
 * Rows for one interface's addresses. `flags` are the interface's SIOCGIFFLAGS flags.
 *
 * @example
 * addressRows('lo', os.networkInterfaces().lo ?? [], 0x49);
 */
export function addressRows(name: string, infos: readonly NetworkInterfaceInfo[], flags: number | undefined): Row[] {
  return infos.map((info) => {
    const isV4 = info.family === 'IPv4';
    let broadcast = '';
    let pointToPoint = '';
    if (isV4 && flags !== undefined) {
      if (flags & IFF_BROADCAST) broadcast = ipv4Broadcast(info.address, info.netmask);
      // getifaddrs fills ifa_dstaddr with IFA_ADDRESS when there is no broadcast address; for
      // loopback that is the address itself, which osquery shows as point_to_point.
      else pointToPoint = info.address;
    }
    const scoped = !isV4 && info.scopeid ? `${info.address}%${name}` : info.address;
    return {
      interface: name,
      address: scoped,
      mask: info.netmask,
      broadcast,
      point_to_point: pointToPoint,
      type: 'unknown',
      friendly_name: null,
    };
  });
}

/** Generator for osquery's `interface_addresses` table. */
export const interfaceAddresses: TableImpl = {
  name: 'interface_addresses',
  *generate() {
    const all = networkInterfaces();
    const names = Object.keys(all);
    // getifaddrs lists every IPv4 address before the IPv6 ones; keep osquery's order.
    for (const family of ['IPv4', 'IPv6']) {
      for (const name of names) {
        const infos = (all[name] ?? []).filter((i) => i.family === family);
        if (infos.length > 0) yield* addressRows(name, infos, interfaceFlags(name));
      }
    }
  },
};
