/** md_devices: Linux software RAID arrays, from /proc/mdstat and /sys/block/<md>/md/. */
import { join } from 'node:path';
import { parseMdstat, raidLevelNumber, type MdDevice } from '../common/mdstat.js';
import { listDir, readAttr, readIntAttr, readTextOr } from '../common/sysfs.js';
import type { Row, TableImpl } from '../../types.js';

/** The row for one array; `sys` is its /sys/block/<md>/md directory. */
export function mdDeviceRow(dev: MdDevice, unused: string, sys: string): Row {
  const states = listDir(sys)
    .filter((e) => e.startsWith('dev-'))
    .map((e) => readAttr(join(sys, e, 'state')).split(','));
  const count = (f: (s: string[]) => boolean) => states.filter(f).length;
  const action = (a: MdDevice['recovery']) => [a?.progress ?? '', a?.finish ?? '', a?.speed ?? ''];
  const [recoveryProgress, recoveryFinish, recoverySpeed] = action(dev.recovery);
  const [resyncProgress, resyncFinish, resyncSpeed] = action(dev.resync);
  const [reshapeProgress, reshapeFinish, reshapeSpeed] = action(dev.reshape);
  const [checkProgress, checkFinish, checkSpeed] = action(dev.check);
  return {
    device_name: dev.name,
    status: dev.status,
    raid_level: raidLevelNumber(readAttr(join(sys, 'level')) || dev.raidLevel),
    size: dev.usableSize,
    chunk_size: readIntAttr(join(sys, 'chunk_size')) ?? null,
    raid_disks: readIntAttr(join(sys, 'raid_disks')) ?? null,
    nr_raid_disks: states.length,
    working_disks: count((s) => !s.includes('faulty')),
    active_disks: count((s) => s.includes('in_sync')),
    failed_disks: count((s) => s.includes('faulty')),
    spare_disks: count((s) => s.includes('spare')),
    superblock_state: readAttr(join(sys, 'array_state')),
    superblock_version: readAttr(join(sys, 'metadata_version')),
    // The superblock's update time is only available through the GET_ARRAY_INFO ioctl.
    superblock_update_time: null,
    bitmap_on_mem: dev.bitmap?.onMem ?? '',
    bitmap_chunk_size: dev.bitmap?.chunkSize ?? '',
    bitmap_external_file: dev.bitmap?.externalFile ?? '',
    recovery_progress: recoveryProgress,
    recovery_finish: recoveryFinish,
    recovery_speed: recoverySpeed,
    resync_progress: resyncProgress,
    resync_finish: resyncFinish,
    resync_speed: resyncSpeed,
    reshape_progress: reshapeProgress,
    reshape_finish: reshapeFinish,
    reshape_speed: reshapeSpeed,
    check_array_progress: checkProgress,
    check_array_finish: checkFinish,
    check_array_speed: checkSpeed,
    unused_devices: unused,
    other: dev.other,
  };
}

/** Generator for osquery's `md_devices` table. */
export const mdDevices: TableImpl = {
  name: 'md_devices',
  *generate() {
    const stat = parseMdstat(readTextOr('/proc/mdstat') ?? '');
    for (const dev of stat.devices) yield mdDeviceRow(dev, stat.unused, join('/sys/block', dev.name, 'md'));
  },
};
