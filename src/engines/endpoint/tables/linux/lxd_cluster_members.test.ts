import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { startLxdServer, type FakeLxd } from '../common/testdata/lxd-server.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { lxdClusterMembers } from './lxd_cluster_members.js';

let lxd: FakeLxd;
beforeAll(async () => {
  lxd = await startLxdServer();
});
afterAll(async () => {
  await lxd.stop();
});

describe('lxd_cluster_members', () => {
  it('reads the LXD API on a unix socket (protocol test)', () => {
    const rows = collectRows(lxdClusterMembers, {});
    expect(rows).toEqual([{ server_name: 'node1', url: 'https://10.0.0.1:8443', database: 1, status: 'Online', message: 'Fully operational' }]);
    if (!schemaMissing) for (const r of rows) expect(columnMismatch('lxd_cluster_members', r)).toBe('');
  });

  const hostLxd = existsSync('/var/snap/lxd/common/lxd/unix.socket') || existsSync('/var/lib/lxd/unix.socket');
  it.skipIf(hostLxd)('yields nothing without an LXD socket', () => {
    const saved = process.env.LXD_DIR;
    process.env.LXD_DIR = '/nonexistent';
    try {
      expect(collectRows(lxdClusterMembers, {})).toEqual([]);
    } finally {
      process.env.LXD_DIR = saved;
    }
  });
});
