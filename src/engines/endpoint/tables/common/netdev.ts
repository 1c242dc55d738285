/**
 * Network interfaces as /sys/class/net shows them, shared by interface_addresses and
 * interface_details. Flags are computed the way the kernel's dev_get_flags() does for the
 * SIOCGIFFLAGS ioctl osquery uses: /sys holds the administrative flags only, and RUNNING,
 * LOWER_UP and DORMANT are derived from the operational state.
 */
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { listDir, readAttr, readIntAttr } from './sysfs.js';

export const SYS_CLASS_NET = '/sys/class/net';

export const IFF_BROADCAST = 0x2;
export const IFF_POINTOPOINT = 0x10;
const IFF_RUNNING = 0x40;
const IFF_LOWER_UP = 0x10000;
const IFF_DORMANT = 0x20000;
const IFF_UP = 0x1;

/**
 * The flags SIOCGIFFLAGS reports, from /sys's `flags`, `operstate` and `carrier`.
 *
 * @example
 * ioctlFlags(0x1003, 'up', true); // 0x11043
 */
export function ioctlFlags(sysFlags: number, operstate: string, carrier: boolean): number {
  let flags = sysFlags & ~(IFF_RUNNING | IFF_LOWER_UP | IFF_DORMANT);
  if (sysFlags & IFF_UP) {
    // netif_oper_up(): operstate UP or UNKNOWN (loopback and many virtual devices report unknown).
    if (operstate === 'up' || operstate === 'unknown') flags |= IFF_RUNNING;
    if (carrier) flags |= IFF_LOWER_UP;
    if (operstate === 'dormant') flags |= IFF_DORMANT;
  }
  return flags >>> 0;
}

/** Interface names in ifindex order (the order getifaddrs and osquery list them). */
export function listInterfaces(root = SYS_CLASS_NET): string[] {
  const names = listDir(root);
  const index = new Map(names.map((n) => [n, readIntAttr(join(root, n, 'ifindex')) ?? Number.MAX_SAFE_INTEGER]));
  return names.sort((a, b) => index.get(a)! - index.get(b)!);
}

/** SIOCGIFFLAGS-equivalent flags of an interface, or undefined when it vanished. */
export function interfaceFlags(name: string, root = SYS_CLASS_NET): number | undefined {
  const raw = readAttr(join(root, name, 'flags'));
  if (raw === '') return undefined;
  const sysFlags = Number.parseInt(raw, 16);
  const carrier = readAttr(join(root, name, 'carrier')) === '1';
  return ioctlFlags(sysFlags, readAttr(join(root, name, 'operstate')), carrier);
}

/** The PCI address of the device behind an interface ("0000:00:03.0"), or '' for virtual ones. */
export function pciSlotOf(name: string, root = SYS_CLASS_NET): string {
  let target: string;
  try {
    target = realpathSync(join(root, name, 'device'));
  } catch {
    return '';
  }
  const parts = target.split('/');
  for (let i = parts.length - 1; i >= 0; i--) {
    if (/^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/i.test(parts[i])) return parts[i];
  }
  return '';
}
