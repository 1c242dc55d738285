/**
 * block_devices: every block device and partition in /sys/class/block, with size and block size
 * from sysfs and filesystem UUID, type and label from udev's database (blkid's results) when
 * udevd keeps one.
 */
import { existsSync, readlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { deviceProperties } from '../common/udev-db.js';
import { listDir, readAttr, readIntAttr } from '../common/sysfs.js';
import type { QueryContext, Row, TableImpl } from '../../types.js';

export const SYS_CLASS_BLOCK = '/sys/class/block';

/** The kernel name of a partition's disk ("vda" for "vda1"), or '' for a whole disk. */
function parentDisk(name: string, root: string): string {
  if (!existsSync(join(root, name, 'partition'))) return '';
  try {
    // /sys/class/block/vda1 -> ../../devices/.../block/vda/vda1: the parent is the directory above.
    const target = readlinkSync(join(root, name));
    return basename(join(target, '..'));
  } catch {
    return '';
  }
}

/** The row for one block device (kernel name, e.g. "vda"), or undefined when it vanished. */
export function blockDeviceRow(name: string, root = SYS_CLASS_BLOCK): Row | undefined {
  const dir = join(root, name);
  const sectors = readAttr(join(dir, 'size'));
  if (sectors === '') return undefined;
  const props = deviceProperties(dir, 'b');
  const parent = parentDisk(name, root);
  // Partitions have no queue/ or device/ of their own; their disk's apply.
  const diskDir = parent === '' ? dir : join(root, parent);
  return {
    name: `/dev/${props.get('DEVNAME') ?? name}`,
    parent: parent === '' ? '' : `/dev/${parent}`,
    vendor: props.get('ID_VENDOR') ?? readAttr(join(diskDir, 'device', 'vendor')).trim(),
    model: props.get('ID_MODEL') ?? readAttr(join(diskDir, 'device', 'model')).trim(),
    serial: props.get('ID_SERIAL_SHORT') ?? props.get('ID_SERIAL') ?? '',
    size: Number(sectors),
    block_size: readIntAttr(join(diskDir, 'queue', 'logical_block_size')) ?? 0,
    uuid: props.get('ID_FS_UUID') ?? '',
    type: props.get('ID_FS_TYPE') ?? '',
    label: props.get('ID_FS_LABEL') ?? '',
  };
}

/** Kernel names of the block devices to read: those a `name` constraint pins (/dev/x or x), else all. */
export function blockDeviceNames(ctx: QueryContext, root = SYS_CLASS_BLOCK): string[] {
  const all = listDir(root);
  const pinned = ctx.constraint('name');
  if (pinned === undefined) return all;
  const wanted = new Set(pinned.map((n) => n.replace(/^\/dev\//, '')));
  return all.filter((n) => wanted.has(n));
}

/** Generator for osquery's `block_devices` table. */
export const blockDevices: TableImpl = {
  name: 'block_devices',
  *generate(ctx) {
    for (const name of blockDeviceNames(ctx)) {
      const row = blockDeviceRow(name);
      if (row) yield row;
    }
  },
};
