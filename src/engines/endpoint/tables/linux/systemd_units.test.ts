import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { SYSTEMD_RUNTIME, parseListJobs, parseSystemctlShow, systemdUnits, unitObjectPath, unitRows } from './systemd_units.js';

const booted = existsSync(SYSTEMD_RUNTIME);

const SHOW = `Id=ssh.service
Description=OpenBSD Secure Shell server
LoadState=loaded
ActiveState=active
SubState=running
UnitFileState=enabled
Following=
FragmentPath=/lib/systemd/system/ssh.service
SourcePath=
User=

Id=dev-sda1.device
Description=QEMU_HARDDISK 1
LoadState=loaded
ActiveState=active
SubState=plugged
UnitFileState=
Following=sys-devices-pci0000:00-0000:00:01.1-ata1-host0-target0:0:0-0:0:0:0-block-sda-sda1.device
FragmentPath=
SourcePath=
User=
`;

describe('systemd_units', () => {
  it.skipIf(booted)('yields nothing on a host not booted with systemd', () => {
    expect(collectRows(systemdUnits)).toEqual([]);
  });

  it.skipIf(!booted)('lists the units systemctl list-units --all lists', () => {
    const want = execFileSync('systemctl', ['list-units', '--all', '--no-legend', '--plain', '--full', '--no-pager'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/)[0]);
    expect(new Set(collectRows(systemdUnits).map((r) => r.id))).toEqual(new Set(want));
  });

  it('builds rows with bus paths and jobs', () => {
    const rows = unitRows(parseSystemctlShow(SHOW), parseListJobs('17 ssh.service restart running\n'));
    expect(rows[0]).toMatchObject({
      id: 'ssh.service',
      active_state: 'active',
      sub_state: 'running',
      unit_file_state: 'enabled',
      object_path: '/org/freedesktop/systemd1/unit/ssh_2eservice',
      job_id: 17,
      job_type: 'restart',
      job_path: '/org/freedesktop/systemd1/job/17',
    });
    expect(rows[1]).toMatchObject({ id: 'dev-sda1.device', job_id: 0, job_path: '/', object_path: unitObjectPath('dev-sda1.device') });
    expect(unitObjectPath('dev-sda1.device')).toBe('/org/freedesktop/systemd1/unit/dev_2dsda1_2edevice');
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    expect(columnMismatch('systemd_units', unitRows(parseSystemctlShow(SHOW), new Map())[0]!)).toBe('');
  });
});
