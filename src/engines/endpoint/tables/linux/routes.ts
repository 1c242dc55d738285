/**
 * routes: the IPv4 main routing table from /proc/net/route and every IPv6 route from
 * /proc/net/ipv6_route, plus the IPv4 `local` table (the local and broadcast routes the kernel
 * adds for each address) from /proc/net/fib_trie. osquery asks netlink for all of them; fib_trie
 * does not name the interface, so it is the one holding the address the route was made for.
 */
import { networkInterfaces } from 'node:os';
import { readTextOr } from '../common/sysfs.js';
import type { Row, TableImpl } from '../../types.js';

const RTF_GATEWAY = 0x0002;
const RTF_REJECT = 0x0200;
const RTF_LOCAL = 0x80000000;

/** A little-endian hex IPv4 address from /proc/net/route ("010200C0" -> "192.0.2.1"). */
export function hexToIpv4(hex: string): string {
  const n = Number.parseInt(hex, 16) >>> 0;
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff].join('.');
}

/** A 32-digit hex IPv6 address from /proc/net/ipv6_route, in the compressed form inet_ntop prints. */
export function hexToIpv6(hex: string): string {
  const groups: number[] = [];
  for (let i = 0; i < 32; i += 4) groups.push(Number.parseInt(hex.slice(i, i + 4), 16));
  // inet_ntop: the longest run (>= 2) of zero groups becomes "::", the first one on a tie.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hexes = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hexes.join(':');
  return `${hexes.slice(0, bestStart).join(':')}::${hexes.slice(bestStart + bestLen).join(':')}`;
}

function maskBits(mask: number): number {
  let bits = 0;
  for (let m = mask >>> 0; m !== 0; m = (m << 1) >>> 0) bits++;
  return bits;
}

/** osquery reports a host route's prefix length (/32, /128) as 0. */
function prefixColumn(len: number, full: number): number {
  return len === full ? 0 : len;
}

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, part) => ((acc << 8) | Number(part)) >>> 0, 0);
}

/**
 * Parses /proc/net/route. `addressesOf` gives an interface's IPv4 addresses with their prefix
 * length: the kernel uses the interface's address in the subnet as the preferred source of a
 * connected (gatewayless) route, which is what netlink reports as RTA_PREFSRC.
 */
export function parseProcNetRoute(
  text: string,
  addressesOf: (iface: string) => readonly { address: string; prefix: number }[] = () => [],
): Row[] {
  const rows: Row[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 11) continue;
    const flags = Number.parseInt(f[3], 16);
    if (flags & RTF_REJECT) continue;
    const destination = hexToIpv4(f[1]);
    const mask = Number.parseInt(f[7], 16);
    const prefix = maskBits(((mask & 0xff) << 24) | ((mask >>> 8 & 0xff) << 16) | ((mask >>> 16 & 0xff) << 8) | (mask >>> 24 & 0xff));
    const isGateway = (flags & RTF_GATEWAY) !== 0;
    let source = '';
    if (!isGateway && prefix > 0) {
      const net = ipv4ToInt(destination);
      const bits = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
      const own = addressesOf(f[0]).find((a) => ((ipv4ToInt(a.address) & bits) >>> 0) === net && a.prefix === prefix);
      if (own) source = own.address;
    }
    rows.push({
      destination,
      netmask: prefixColumn(prefix, 32),
      gateway: isGateway ? hexToIpv4(f[2]) : '',
      source,
      flags: 0,
      interface: f[0],
      mtu: Number.parseInt(f[8], 10) || 0,
      metric: Number.parseInt(f[6], 10) || 0,
      type: 'gateway',
      hopcount: 0,
    });
  }
  return rows;
}

/** Parses /proc/net/ipv6_route (no header). */
export function parseProcNetIpv6Route(text: string): Row[] {
  const rows: Row[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const flags = Number.parseInt(f[8], 16) >>> 0;
    if (flags & RTF_REJECT) continue;
    const destination = hexToIpv6(f[0]);
    const prefix = Number.parseInt(f[1], 16);
    const gateway = /^0+$/.test(f[4]) ? '' : hexToIpv6(f[4]);
    const type = flags & RTF_LOCAL ? 'local' : f[0].startsWith('ff') && prefix >= 8 ? 'other' : 'gateway';
    rows.push({
      destination,
      netmask: prefixColumn(prefix, 128),
      gateway,
      source: '',
      flags: 0,
      interface: f[9],
      mtu: 0,
      metric: Number.parseInt(f[5], 16) >>> 0,
      type,
      hopcount: 0,
    });
  }
  return rows;
}

/** An IPv4 address of an interface with its prefix length. */
export interface OwnAddress {
  readonly iface: string;
  readonly address: string;
  readonly prefix: number;
}

/**
 * Parses the `Local:` section of /proc/net/fib_trie into routes. `addresses` are the machine's
 * IPv4 addresses; a local route belongs to the interface holding that address (or whose subnet
 * holds it, as for 127.0.0.0/8), a broadcast route to the one with that broadcast address.
 */
export function parseFibTrieLocal(text: string, addresses: readonly OwnAddress[]): Row[] {
  const rows: Row[] = [];
  const start = text.indexOf('\nLocal:');
  if (start < 0) return rows;
  let leaf = '';
  for (const line of text.slice(start + 1).split('\n').slice(1)) {
    if (/^\S/.test(line)) break; // the next table's header
    const l = /\|-- (\d+\.\d+\.\d+\.\d+)/.exec(line);
    if (l) {
      leaf = l[1];
      continue;
    }
    const r = /^\s+\/(\d+) (\S+) (\S+)/.exec(line);
    if (!r || leaf === '') continue;
    const prefix = Number(r[1]);
    const type = r[3];
    const ip = ipv4ToInt(leaf);
    const maskOf = (bits: number) => (bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0);
    let owner: OwnAddress | undefined;
    if (type === 'LOCAL') {
      owner = addresses.find((a) => a.address === leaf) ?? addresses.find((a) => ((ipv4ToInt(a.address) & maskOf(prefix)) >>> 0) === ip);
    } else if (type === 'BROADCAST') {
      owner = addresses.find((a) => ((ipv4ToInt(a.address) | ~maskOf(a.prefix)) >>> 0) === ip);
    } else {
      continue; // unicast entries of this section repeat the main table
    }
    if (!owner) continue;
    rows.push({
      destination: leaf,
      netmask: prefixColumn(prefix, 32),
      gateway: '',
      source: owner.address,
      flags: 0,
      interface: owner.iface,
      mtu: 0,
      metric: 0,
      type: type === 'LOCAL' ? 'local' : 'broadcast',
      hopcount: 0,
    });
  }
  return rows;
}

function allIpv4Addresses(): OwnAddress[] {
  return Object.entries(networkInterfaces()).flatMap(([iface, infos]) =>
    (infos ?? []).filter((a) => a.family === 'IPv4').map((a) => ({ iface, address: a.address, prefix: Number(a.cidr?.split('/')[1] ?? 32) })),
  );
}

function ipv4AddressesOf(iface: string): { address: string; prefix: number }[] {
  return (networkInterfaces()[iface] ?? [])
    .filter((a) => a.family === 'IPv4')
    .map((a) => ({ address: a.address, prefix: Number(a.cidr?.split('/')[1] ?? 32) }));
}

/** Generator for osquery's `routes` table. */
export const routes: TableImpl = {
  name: 'routes',
  *generate() {
    const v4 = readTextOr('/proc/net/route');
    if (v4 !== undefined) yield* parseProcNetRoute(v4, ipv4AddressesOf);
    const trie = readTextOr('/proc/net/fib_trie');
    if (trie !== undefined) yield* parseFibTrieLocal(trie, allIpv4Addresses());
    const v6 = readTextOr('/proc/net/ipv6_route');
    if (v6 !== undefined) yield* parseProcNetIpv6Route(v6);
  },
};
