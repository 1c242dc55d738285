/** arp_cache: the kernel's IPv4 neighbour table from /proc/net/arp. */
import { readTextOr } from '../common/sysfs.js';
import type { Row, TableImpl } from '../../types.js';

/** ATF_PERM in the flags column: a static entry added by `arp -s` or `ip neigh ... permanent`. */
const ATF_PERM = 0x4;

/**
 * Parses /proc/net/arp (header line first) into osquery rows.
 *
 * @example
 * parseProcNetArp(text).map((r) => r.address);
 */
export function parseProcNetArp(text: string): Row[] {
  const rows: Row[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 6) continue;
    const flags = Number.parseInt(f[2], 16);
    rows.push({
      address: f[0],
      mac: f[3],
      interface: f[5],
      permanent: Number.isFinite(flags) && flags & ATF_PERM ? '1' : '0',
    });
  }
  return rows;
}

/** Generator for osquery's `arp_cache` table. */
export const arpCache: TableImpl = {
  name: 'arp_cache',
  generate: () => {
    const text = readTextOr('/proc/net/arp');
    return text === undefined ? [] : parseProcNetArp(text);
  },
};
