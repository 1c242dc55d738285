import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTool } from '../common/run-tool.js';
import { createTestContext } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { curlCertificate } from './curl_certificate.js';

const opensslMissing = findTool('openssl') === undefined ? 'skipped: openssl is not installed' : undefined;
const dir = mkdtempSync(join(tmpdir(), 'vigil-tls-'));
let worker: Worker | undefined;
let port = 0;

// A real TLS server in a worker thread (the table blocks the main thread during the handshake).
const SERVER = `
const tls = require('node:tls');
const { parentPort, workerData } = require('node:worker_threads');
const server = tls.createServer({ key: workerData.key, cert: workerData.cert }, (s) => s.end());
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
`;

beforeAll(async () => {
  if (opensslMissing) return;
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '10',
    '-subj', '/C=DE/O=Vigil Test/OU=Endpoint/CN=vigil.test', '-addext', 'subjectAltName=DNS:vigil.test,IP:127.0.0.1',
    '-addext', 'extendedKeyUsage=serverAuth', '-addext', 'keyUsage=critical,digitalSignature,keyEncipherment'], { stdio: 'ignore' });
  worker = new Worker(SERVER, { eval: true, workerData: { key: readFileSync(join(dir, 'k.pem'), 'utf8'), cert: readFileSync(join(dir, 'c.pem'), 'utf8') } });
  port = await new Promise<number>((resolve) => worker!.once('message', resolve));
});
afterAll(async () => {
  await worker?.terminate();
  rmSync(dir, { recursive: true, force: true });
});

describe('curl_certificate', () => {
  it.skipIf(opensslMissing)('reads the certificate a local TLS server presents, like openssl x509 does', () => {
    const ctx = createTestContext({ constraints: { hostname: [`127.0.0.1:${port}`], dump_certificate: ['1'] } });
    const rows = [...curlCertificate.generate(ctx)];
    expect(ctx.warnings).toEqual([]);
    expect(rows).toHaveLength(1);
    const x509 = (...args: string[]) => execFileSync('openssl', ['x509', '-in', join(dir, 'c.pem'), '-noout', ...args], { encoding: 'utf8' }).trim();
    expect(rows[0]).toMatchObject({
      hostname: `127.0.0.1:${port}`, common_name: 'vigil.test', organization: 'Vigil Test', organization_unit: 'Endpoint',
      issuer_common_name: 'vigil.test', version: 3, signature_algorithm: 'sha256WithRSAEncryption', has_expired: 0,
      subject_alternative_names: 'DNS:vigil.test, IP Address:127.0.0.1', extended_key_usage: 'TLS Web Server Authentication',
      key_usage: 'Digital Signature, Key Encipherment', basic_constraint: 'CA:TRUE', dump_certificate: 1,
    });
    expect(rows[0].serial_number).toBe(x509('-serial').split('=')[1]);
    expect(rows[0].sha1_fingerprint).toBe(x509('-fingerprint', '-sha1').split('=')[1].replace(/:/g, '').toLowerCase());
    expect(rows[0].valid_to).toBe(x509('-enddate').split('=')[1]);
    expect(String(rows[0].pem)).toContain('BEGIN CERTIFICATE');
    if (!schemaMissing) expect(columnMismatch('curl_certificate', rows[0])).toBe('');
  });

  it('warns and yields nothing for a refused connection', () => {
    const ctx = createTestContext({ constraints: { hostname: ['127.0.0.1:1'], timeout: ['1'] } });
    expect([...curlCertificate.generate(ctx)]).toEqual([]);
    expect(ctx.warnings).toHaveLength(1);
  });
});
