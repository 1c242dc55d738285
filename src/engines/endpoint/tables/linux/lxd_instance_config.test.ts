import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { startLxdServer, type FakeLxd } from '../common/testdata/lxd-server.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { lxdInstanceConfig } from './lxd_instance_config.js';

let lxd: FakeLxd;
beforeAll(async () => {
  lxd = await startLxdServer();
});
afterAll(async () => {
  await lxd.stop();
});

describe('lxd_instance_config', () => {
  it('reads the LXD API on a unix socket (protocol test)', () => {
    const rows = collectRows(lxdInstanceConfig, { constraints: { name: ['web'] } });
    expect(rows).toEqual([
      { name: 'web', key: 'image.os', value: 'Ubuntu' },
      { name: 'web', key: 'volatile.base_image', value: 'abc123' },
      { name: 'web', key: 'limits.cpu', value: '2' },
    ]);
    if (!schemaMissing) for (const r of rows) expect(columnMismatch('lxd_instance_config', r)).toBe('');
  });

  const hostLxd = existsSync('/var/snap/lxd/common/lxd/unix.socket') || existsSync('/var/lib/lxd/unix.socket');
  it.skipIf(hostLxd)('yields nothing without an LXD socket', () => {
    const saved = process.env.LXD_DIR;
    process.env.LXD_DIR = '/nonexistent';
    try {
      expect(collectRows(lxdInstanceConfig, { constraints: { name: ['web'] } })).toEqual([]);
    } finally {
      process.env.LXD_DIR = saved;
    }
  });
});
