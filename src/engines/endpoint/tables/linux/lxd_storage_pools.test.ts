import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { startLxdServer, type FakeLxd } from '../common/testdata/lxd-server.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { lxdStoragePools } from './lxd_storage_pools.js';

let lxd: FakeLxd;
beforeAll(async () => {
  lxd = await startLxdServer();
});
afterAll(async () => {
  await lxd.stop();
});

describe('lxd_storage_pools', () => {
  it('reads the LXD API on a unix socket (protocol test)', () => {
    const rows = collectRows(lxdStoragePools, {});
    expect(rows).toEqual([{ name: 'default', driver: 'zfs', source: 'tank/lxd', size: '30GiB', space_used: 1000, space_total: 30000, inodes_used: 5, inodes_total: 100 }]);
    if (!schemaMissing) for (const r of rows) expect(columnMismatch('lxd_storage_pools', r)).toBe('');
  });

  const hostLxd = existsSync('/var/snap/lxd/common/lxd/unix.socket') || existsSync('/var/lib/lxd/unix.socket');
  it.skipIf(hostLxd)('yields nothing without an LXD socket', () => {
    const saved = process.env.LXD_DIR;
    process.env.LXD_DIR = '/nonexistent';
    try {
      expect(collectRows(lxdStoragePools, {})).toEqual([]);
    } finally {
      process.env.LXD_DIR = saved;
    }
  });
});
