import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseMdstat } from '../common/mdstat.js';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { mdDeviceRow, mdDevices } from './md_devices.js';
import { mdDriveRows, mdDrives } from './md_drives.js';
import { mdPersonalities } from './md_personalities.js';

const MDSTAT = `Personalities : [raid1] [raid6] [raid5] [raid4]
md0 : active raid1 sdb1[1] sda1[0](F)
      1048512 blocks super 1.2 [2/1] [U_]
      [==>..................]  recovery = 12.6% (132224/1048512) finish=0.4min speed=33056K/sec
      bitmap: 1/1 pages [4KB], 65536KB chunk

unused devices: <none>
`;

const sys = mkdtempSync(join(tmpdir(), 'vigil-md-'));
afterAll(() => rmSync(sys, { recursive: true, force: true }));

function member(dir: string, block: string, slot: string, state: string): void {
  mkdirSync(join(sys, dir), { recursive: true });
  writeFileSync(join(sys, dir, 'slot'), `${slot}\n`);
  writeFileSync(join(sys, dir, 'state'), `${state}\n`);
  symlinkSync(`../../../${block}`, join(sys, dir, 'block'));
}

function mdstatOfMachine(): string {
  try {
    return readFileSync('/proc/mdstat', 'utf8');
  } catch {
    return '';
  }
}

describe('md tables', () => {
  it('parse /proc/mdstat: personalities, arrays, recovery and bitmap', () => {
    const stat = parseMdstat(MDSTAT);
    expect(stat.personalities).toEqual(['raid1', 'raid6', 'raid5', 'raid4']);
    expect(stat.unused).toBe('<none>');
    expect(stat.devices[0]).toMatchObject({
      name: 'md0', status: 'active', raidLevel: 'raid1', usableSize: 1048512, other: 'super 1.2',
      drives: [{ name: 'sdb1', slot: 1 }, { name: 'sda1', slot: 0 }],
      recovery: { progress: '12.6% (132224/1048512)', finish: '0.4min', speed: '33056K/sec' },
      bitmap: { onMem: '1/1 pages [4KB]', chunkSize: '65536KB chunk', externalFile: '' },
    });
  });

  it('count members by their sysfs state', () => {
    writeFileSync(join(sys, 'level'), 'raid1\n');
    writeFileSync(join(sys, 'raid_disks'), '2\n');
    writeFileSync(join(sys, 'chunk_size'), '0\n');
    writeFileSync(join(sys, 'array_state'), 'clean\n');
    writeFileSync(join(sys, 'metadata_version'), '1.2\n');
    member('dev-sda1', 'sda1', '0', 'faulty');
    member('dev-sdb1', 'sdb1', '1', 'in_sync');
    const stat = parseMdstat(MDSTAT);
    const row = mdDeviceRow(stat.devices[0], stat.unused, sys);
    expect(row).toMatchObject({ device_name: 'md0', raid_level: 1, size: 1048512, raid_disks: 2, nr_raid_disks: 2, working_disks: 1, active_disks: 1, failed_disks: 1, superblock_state: 'clean', superblock_version: '1.2', recovery_progress: '12.6% (132224/1048512)' });
    if (!schemaMissing) expect(columnMismatch('md_devices', row)).toBe('');
    const drives = mdDriveRows('md0', sys);
    expect(drives).toEqual([
      { md_device_name: 'md0', drive_name: '/dev/sda1', slot: 0, state: 'faulty' },
      { md_device_name: 'md0', drive_name: '/dev/sdb1', slot: 1, state: 'active sync' },
    ]);
    if (!schemaMissing) expect(columnMismatch('md_drives', drives[0])).toBe('');
  });

  it('match the arrays of this machine (none without md)', () => {
    const stat = parseMdstat(mdstatOfMachine());
    expect(collectRows(mdPersonalities).map((r) => r.name)).toEqual(stat.personalities);
    expect(collectRows(mdDevices).map((r) => r.device_name)).toEqual(stat.devices.map((d) => d.name));
    expect(collectRows(mdDrives).length).toBeGreaterThanOrEqual(0);
  });
});
