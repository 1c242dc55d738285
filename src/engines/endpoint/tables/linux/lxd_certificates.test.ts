import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { startLxdServer, type FakeLxd } from '../common/testdata/lxd-server.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { lxdCertificates } from './lxd_certificates.js';

let lxd: FakeLxd;
beforeAll(async () => {
  lxd = await startLxdServer();
});
afterAll(async () => {
  await lxd.stop();
});

describe('lxd_certificates', () => {
  it('reads the LXD API on a unix socket (protocol test)', () => {
    const rows = collectRows(lxdCertificates, {});
    expect(rows).toEqual([{ name: 'admin', type: 'client', fingerprint: 'f00d', certificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' }]);
    if (!schemaMissing) for (const r of rows) expect(columnMismatch('lxd_certificates', r)).toBe('');
  });

  const hostLxd = existsSync('/var/snap/lxd/common/lxd/unix.socket') || existsSync('/var/lib/lxd/unix.socket');
  it.skipIf(hostLxd)('yields nothing without an LXD socket', () => {
    const saved = process.env.LXD_DIR;
    process.env.LXD_DIR = '/nonexistent';
    try {
      expect(collectRows(lxdCertificates, {})).toEqual([]);
    } finally {
      process.env.LXD_DIR = saved;
    }
  });
});
