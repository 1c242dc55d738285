import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { startLxdServer, type FakeLxd } from '../common/testdata/lxd-server.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { lxdCluster } from './lxd_cluster.js';

let lxd: FakeLxd;
beforeAll(async () => {
  lxd = await startLxdServer();
});
afterAll(async () => {
  await lxd.stop();
});

describe('lxd_cluster', () => {
  it('reads the LXD API on a unix socket (protocol test)', () => {
    const rows = collectRows(lxdCluster, {});
    expect(rows).toEqual([{ server_name: 'node1', enabled: 1, member_config_entity: 'storage-pool', member_config_name: 'local', member_config_key: 'source', member_config_value: '', member_config_description: '"source" property for storage pool "local"' }]);
    if (!schemaMissing) for (const r of rows) expect(columnMismatch('lxd_cluster', r)).toBe('');
  });

  const hostLxd = existsSync('/var/snap/lxd/common/lxd/unix.socket') || existsSync('/var/lib/lxd/unix.socket');
  it.skipIf(hostLxd)('yields nothing without an LXD socket', () => {
    const saved = process.env.LXD_DIR;
    process.env.LXD_DIR = '/nonexistent';
    try {
      expect(collectRows(lxdCluster, {})).toEqual([]);
    } finally {
      process.env.LXD_DIR = saved;
    }
  });
});
