import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { startLxdServer, type FakeLxd } from '../common/testdata/lxd-server.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { lxdImages } from './lxd_images.js';

let lxd: FakeLxd;
beforeAll(async () => {
  lxd = await startLxdServer();
});
afterAll(async () => {
  await lxd.stop();
});

describe('lxd_images', () => {
  it('reads the LXD API on a unix socket (protocol test)', () => {
    const rows = collectRows(lxdImages, {});
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: 'abc123', os: 'ubuntu', release: 'jammy', aliases: 'jammy,ubuntu/22.04', size: 123456789, auto_update: 1, cached: 1, public: 0, update_source_protocol: 'simplestreams', update_source_alias: '22.04' });
    if (!schemaMissing) for (const r of rows) expect(columnMismatch('lxd_images', r)).toBe('');
  });

  const hostLxd = existsSync('/var/snap/lxd/common/lxd/unix.socket') || existsSync('/var/lib/lxd/unix.socket');
  it.skipIf(hostLxd)('yields nothing without an LXD socket', () => {
    const saved = process.env.LXD_DIR;
    process.env.LXD_DIR = '/nonexistent';
    try {
      expect(collectRows(lxdImages, {})).toEqual([]);
    } finally {
      process.env.LXD_DIR = saved;
    }
  });
});
