import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { startLxdServer, type FakeLxd } from '../common/testdata/lxd-server.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { lxdNetworks } from './lxd_networks.js';

let lxd: FakeLxd;
beforeAll(async () => {
  lxd = await startLxdServer();
});
afterAll(async () => {
  await lxd.stop();
});

describe('lxd_networks', () => {
  it('reads the LXD API on a unix socket (protocol test)', () => {
    const rows = collectRows(lxdNetworks, {});
    expect(rows).toEqual([{ name: 'lxdbr0', type: 'bridge', managed: 1, ipv4_address: '10.1.1.1/24', ipv6_address: 'none', used_by: '/1.0/instances/web', bytes_received: 10, bytes_sent: 20, packets_received: 1, packets_sent: 2, hwaddr: '00:16:3e:00:00:01', state: 'up', mtu: 1500 }]);
    if (!schemaMissing) for (const r of rows) expect(columnMismatch('lxd_networks', r)).toBe('');
  });

  const hostLxd = existsSync('/var/snap/lxd/common/lxd/unix.socket') || existsSync('/var/lib/lxd/unix.socket');
  it.skipIf(hostLxd)('yields nothing without an LXD socket', () => {
    const saved = process.env.LXD_DIR;
    process.env.LXD_DIR = '/nonexistent';
    try {
      expect(collectRows(lxdNetworks, {})).toEqual([]);
    } finally {
      process.env.LXD_DIR = saved;
    }
  });
});
