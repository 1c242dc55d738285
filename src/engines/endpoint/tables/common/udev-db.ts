/**
 * Device properties the way libudev shows them: the kernel's uevent file (MAJOR, DEVTYPE,
 * BUSNUM, TYPE, ...) merged with udev's database in /run/udev/data (ID_FS_UUID, ID_SERIAL,
 * ID_VENDOR_FROM_DATABASE, ...). Without udevd (containers) only the kernel's part exists.
 */
import { join } from 'node:path';
import { readTextOr } from './sysfs.js';

/** Parses KEY=VALUE lines (a uevent file). */
export function parseUevent(text: string, into = new Map<string, string>()): Map<string, string> {
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) into.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return into;
}

/** Parses a /run/udev/data record: only its `E:KEY=VALUE` property lines. */
export function parseUdevData(text: string, into = new Map<string, string>()): Map<string, string> {
  for (const line of text.split('\n')) {
    if (!line.startsWith('E:')) continue;
    const eq = line.indexOf('=');
    if (eq > 2) into.set(line.slice(2, eq), line.slice(eq + 1));
  }
  return into;
}

/**
 * The properties of the device at `sysPath` (e.g. /sys/class/block/vda); `kind` is 'b' for block
 * and 'c' for character devices, which is how udev names its database records.
 */
export function deviceProperties(sysPath: string, kind: 'b' | 'c'): Map<string, string> {
  const props = parseUevent(readTextOr(join(sysPath, 'uevent')) ?? '');
  const major = props.get('MAJOR');
  const minor = props.get('MINOR');
  if (major !== undefined && minor !== undefined) {
    const db = readTextOr(`/run/udev/data/${kind}${major}:${minor}`);
    if (db !== undefined) parseUdevData(db, props);
  }
  return props;
}
