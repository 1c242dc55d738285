import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { startLxdServer, type FakeLxd } from '../common/testdata/lxd-server.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { lxdInstanceDevices } from './lxd_instance_devices.js';

let lxd: FakeLxd;
beforeAll(async () => {
  lxd = await startLxdServer();
});
afterAll(async () => {
  await lxd.stop();
});

describe('lxd_instance_devices', () => {
  it('reads the LXD API on a unix socket (protocol test)', () => {
    const rows = collectRows(lxdInstanceDevices, { constraints: { name: ['web'] } });
    expect(rows).toEqual([
      { name: 'web', device: 'root', device_type: 'disk', key: 'path', value: '/' },
      { name: 'web', device: 'root', device_type: 'disk', key: 'pool', value: 'default' },
      { name: 'web', device: 'eth0', device_type: 'nic', key: 'network', value: 'lxdbr0' },
      { name: 'web', device: 'eth0', device_type: 'nic', key: 'name', value: 'eth0' },
    ]);
    if (!schemaMissing) for (const r of rows) expect(columnMismatch('lxd_instance_devices', r)).toBe('');
  });

  const hostLxd = existsSync('/var/snap/lxd/common/lxd/unix.socket') || existsSync('/var/lib/lxd/unix.socket');
  it.skipIf(hostLxd)('yields nothing without an LXD socket', () => {
    const saved = process.env.LXD_DIR;
    process.env.LXD_DIR = '/nonexistent';
    try {
      expect(collectRows(lxdInstanceDevices, { constraints: { name: ['web'] } })).toEqual([]);
    } finally {
      process.env.LXD_DIR = saved;
    }
  });
});
