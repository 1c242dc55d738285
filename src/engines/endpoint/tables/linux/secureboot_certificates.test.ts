import { X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findTool } from '../common/run-tool.js';
import { collectRows, createTestContext } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { efiSignatureListCerts, secureBootCertRows, securebootCertificates } from './secureboot_certificates.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-efidb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An efivarfs db file: attributes, then one EFI_SIGNATURE_LIST of X.509 entries. */
function dbFile(ders: Buffer[]): Buffer {
  const x509Guid = Buffer.from('a159c0a5e494a74a87b5ab155c2bf072', 'hex');
  const owner = Buffer.alloc(16, 0x11);
  const size = 16 + Math.max(...ders.map((d) => d.length));
  const sigs = ders.map((d) => Buffer.concat([owner, d, Buffer.alloc(size - 16 - d.length)]));
  const header = Buffer.alloc(28);
  x509Guid.copy(header, 0);
  header.writeUInt32LE(28 + sigs.length * size, 16);
  header.writeUInt32LE(0, 20);
  header.writeUInt32LE(size, 24);
  return Buffer.concat([Buffer.from([0x27, 0, 0, 0]), header, ...sigs]);
}

describe('secureboot_certificates', () => {
  it.skipIf(findTool('openssl') === undefined)('reads the certificates of a db signature list', () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '30', '-subj', '/CN=Vigil Test DB Key'], { stdio: 'ignore' });
    const der = new X509Certificate(readFileSync(join(dir, 'c.pem'))).raw;
    const path = join(dir, 'db');
    writeFileSync(path, dbFile([der]));
    expect(efiSignatureListCerts(readFileSync(path))).toEqual([der]);
    const rows = [...secureBootCertRows(path, 0, createTestContext())];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ common_name: 'Vigil Test DB Key', subject: '/CN=Vigil Test DB Key', revoked: 0, is_ca: 1, self_signed: 1, key_algorithm: 'rsaEncryption', key_strength: '2048', path });
    if (!schemaMissing) expect(columnMismatch('secureboot_certificates', rows[0])).toBe('');
  });

  it('stops at a damaged signature list', () => {
    expect(efiSignatureListCerts(Buffer.from([0, 0, 0, 0, 1, 2, 3]))).toEqual([]);
  });

  it('is empty on this machine when it has no UEFI db', () => {
    for (const r of collectRows(securebootCertificates)) expect([0, 1]).toContain(r.revoked);
  });
});
