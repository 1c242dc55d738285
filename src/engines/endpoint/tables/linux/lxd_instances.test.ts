import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { startLxdServer, type FakeLxd } from '../common/testdata/lxd-server.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { lxdInstances } from './lxd_instances.js';

let lxd: FakeLxd;
beforeAll(async () => {
  lxd = await startLxdServer();
});
afterAll(async () => {
  await lxd.stop();
});

describe('lxd_instances', () => {
  it('reads the LXD API on a unix socket (protocol test)', () => {
    const rows = collectRows(lxdInstances, {});
    expect(rows).toEqual([{ name: 'web', status: 'Running', stateful: 0, ephemeral: 0, created_at: '2024-01-02T03:04:05.678Z', base_image: 'abc123', architecture: 'x86_64', os: 'Ubuntu', description: 'front end', pid: 4242, processes: 17 }]);
    if (!schemaMissing) for (const r of rows) expect(columnMismatch('lxd_instances', r)).toBe('');
  });

  const hostLxd = existsSync('/var/snap/lxd/common/lxd/unix.socket') || existsSync('/var/lib/lxd/unix.socket');
  it.skipIf(hostLxd)('yields nothing without an LXD socket', () => {
    const saved = process.env.LXD_DIR;
    process.env.LXD_DIR = '/nonexistent';
    try {
      expect(collectRows(lxdInstances, {})).toEqual([]);
    } finally {
      process.env.LXD_DIR = saved;
    }
  });
});
