import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findTool } from '../common/run-tool.js';
import { collectRows, createTestContext } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { certificates, keyUsageNames } from './certificates.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-certs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const opensslMissing = findTool('openssl') === undefined ? 'skipped: openssl is not installed' : undefined;
const bundle = '/etc/ssl/certs/ca-certificates.crt';

describe('certificates', () => {
  it.skipIf(opensslMissing)('describes a certificate openssl makes, like openssl x509 does', () => {
    const key = join(dir, 'k.pem');
    const crt = join(dir, 'c.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', crt, '-days', '30',
      '-subj', '/C=DE/O=Vigil, Test/CN=vigil.example', '-addext', 'keyUsage=critical,digitalSignature,keyCertSign'], { stdio: 'ignore' });
    const [row] = collectRows(certificates, { constraints: { path: [crt] } });
    const x509 = (...args: string[]) => execFileSync('openssl', ['x509', '-in', crt, '-noout', ...args], { encoding: 'utf8' }).trim();
    expect(row.sha1).toBe(x509('-fingerprint', '-sha1').split('=')[1].replace(/:/g, '').toLowerCase());
    expect(row.serial).toBe(x509('-serial').split('=')[1]);
    expect(Number(row.not_valid_after)).toBe(Math.floor(Date.parse(x509('-enddate').split('=')[1]) / 1000));
    expect(row).toMatchObject({
      common_name: 'vigil.example', subject: '/C=DE/O=Vigil, Test/CN=vigil.example', ca: 1, self_signed: 1,
      key_algorithm: 'id-ecPublicKey', key_strength: 'prime256v1', signing_algorithm: 'ecdsa-with-SHA256',
      key_usage: 'Key Cert Sign, Digital Signature', path: crt,
    });
    expect(row.subject_key_id).toMatch(/^[0-9a-f]{40}$/);
    if (!schemaMissing) expect(columnMismatch('certificates', row)).toBe('');
  });

  it.skipIf(!existsSync(bundle))('reads every certificate of the system bundle', () => {
    const count = (readFileSync(bundle, 'latin1').match(/BEGIN CERTIFICATE/g) ?? []).length;
    expect(collectRows(certificates)).toHaveLength(count);
  });

  it('warns about an unparsable certificate and a missing file, and goes on', () => {
    const bad = join(dir, 'bad.pem');
    writeFileSync(bad, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    const ctx = createTestContext({ constraints: { path: [bad, join(dir, 'absent.pem')] } });
    expect([...certificates.generate(ctx)]).toEqual([]);
    expect(ctx.warnings).toHaveLength(2);
  });

  it('names key usage bits highest first', () => {
    expect(keyUsageNames(Buffer.from([0x03, 0x02, 0x01, 0x86]))).toBe('CRL Sign, Key Cert Sign, Digital Signature');
    expect(keyUsageNames(Buffer.from([0x04, 0x00]))).toBe('');
  });
});
