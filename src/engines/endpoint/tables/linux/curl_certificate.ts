/**
 * curl_certificate: the TLS certificate a server presents (WHERE hostname = 'host[:port]'), as
 * osquery prints it with OpenSSL. The TLS handshake runs in a short-lived Node child process
 * (table generators are synchronous); certificate fields come from node:crypto and the DER itself.
 */
import { X509Certificate, createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { certificateDer, children, decodeOid, readTlv } from '../common/der.js';
import type { QueryContext, Row, TableImpl } from '../../types.js';

/** osquery's default read timeout, in seconds. */
const DEFAULT_TIMEOUT = 4;

const CHILD = `
const tls = require('node:tls');
const [host, port, timeout] = JSON.parse(process.argv[1]);
const done = (o) => { process.stdout.write(JSON.stringify(o)); process.exit(0); };
const socket = tls.connect({ host, port, servername: /^[0-9.:]+$/.test(host) ? undefined : host, rejectUnauthorized: false }, () => {
  const cert = socket.getPeerCertificate(false);
  socket.destroy();
  if (!cert || !cert.raw) done({ error: 'no certificate' });
  else done({ der: cert.raw.toString('base64') });
});
socket.setTimeout(timeout * 1000, () => { socket.destroy(); done({ error: 'timed out' }); });
socket.on('error', (e) => done({ error: e.message }));
`;

/** Fetches a server's leaf certificate (DER), or an error message. */
export function fetchCertificate(host: string, port: number, timeoutSeconds: number): { der: Buffer } | { error: string } {
  const r = spawnSync(process.execPath, ['--input-type=commonjs', '-e', CHILD, JSON.stringify([host, port, timeoutSeconds])], {
    encoding: 'utf8',
    timeout: (timeoutSeconds + 5) * 1000,
  });
  if (r.error || r.status !== 0) return { error: r.error?.message ?? (r.stderr.trim() || `exit ${r.status}`) };
  try {
    const o = JSON.parse(r.stdout) as { der?: string; error?: string };
    return o.der !== undefined ? { der: Buffer.from(o.der, 'base64') } : { error: o.error ?? 'no answer' };
  } catch {
    return { error: 'no answer' };
  }
}

/** OpenSSL's long names of the extended key usages seen on server certificates. */
const EKU_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'TLS Web Server Authentication',
  '1.3.6.1.5.5.7.3.2': 'TLS Web Client Authentication',
  '1.3.6.1.5.5.7.3.3': 'Code Signing',
  '1.3.6.1.5.5.7.3.4': 'E-mail Protection',
  '1.3.6.1.5.5.7.3.8': 'Time Stamping',
  '1.3.6.1.5.5.7.3.9': 'OCSP Signing',
  '2.5.29.37.0': 'Any Extended Key Usage',
};
const KEY_USAGE = ['Digital Signature', 'Non Repudiation', 'Key Encipherment', 'Data Encipherment', 'Key Agreement', 'Certificate Sign', 'CRL Sign', 'Encipher Only', 'Decipher Only'];
const SIG_NAMES: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption', '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption', '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption', '1.2.840.113549.1.1.10': 'rsassaPss', '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384', '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512', '1.3.101.112': 'ED25519',
};

const colonHex = (b: Buffer) => [...b].map((x) => x.toString(16).toUpperCase().padStart(2, '0')).join(':');

/** The first value of an attribute in node's multi-line DN ("CN=x\nO=y"). */
function dnValue(dn: string, key: string): string {
  const m = new RegExp(`(?:^|\\n)${key}=([^\\n]*)`).exec(dn);
  return m ? m[1].replace(/\\([,+"\\<>;#= ])/g, '$1') : '';
}

/** OpenSSL's X509V3 text of the extensions node:crypto does not decode. */
function extensionText(ext: Buffer | undefined, kind: 'ski' | 'aki' | 'ku' | 'eku' | 'bc' | 'policies'): string {
  if (ext === undefined) return '';
  const t = readTlv(ext);
  if (!t) return '';
  switch (kind) {
    case 'ski':
      return t.tag === 0x04 ? colonHex(t.value) : '';
    case 'aki': {
      const id = t.tag === 0x30 ? children(t.value).find((c) => c.tag === 0x80) : undefined;
      return id ? colonHex(id.value) : '';
    }
    case 'ku': {
      if (t.tag !== 0x03 || t.value.length < 2) return '';
      return KEY_USAGE.filter((_, i) => (t.value[1 + (i >> 3)] ?? 0) & (0x80 >> (i & 7))).join(', ');
    }
    case 'eku':
      return t.tag === 0x30 ? children(t.value).map((c) => EKU_NAMES[decodeOid(c.value)] ?? decodeOid(c.value)).join(', ') : '';
    case 'bc': {
      if (t.tag !== 0x30) return '';
      const parts = children(t.value);
      const ca = parts.find((c) => c.tag === 0x01)?.value[0] ? 'CA:TRUE' : 'CA:FALSE';
      const len = parts.find((c) => c.tag === 0x02);
      return len ? `${ca}, pathlen:${len.value.readUIntBE(0, Math.min(len.value.length, 6))}` : ca;
    }
    case 'policies':
      return t.tag === 0x30 ? children(t.value).map((p) => `Policy: ${decodeOid(children(p.value)[0]?.value ?? Buffer.alloc(0))}`).join(';') : '';
  }
}

/** The row for a server's certificate. */
export function curlCertificateRow(hostname: string, der: Buffer, dump: number, timeout: number): Row {
  const cert = new X509Certificate(der);
  const parsed = certificateDer(der);
  const ext = (oid: string) => parsed?.extensions.get(oid);
  // The signature is the BIT STRING after the signature algorithm.
  const outer = readTlv(der);
  const sigBits = outer ? children(outer.value)[2] : undefined;
  const version = outer ? children(children(outer.value)[0]?.value ?? Buffer.alloc(0))[0] : undefined;
  return {
    hostname,
    common_name: dnValue(cert.subject, 'CN'),
    organization: dnValue(cert.subject, 'O'),
    organization_unit: dnValue(cert.subject, 'OU'),
    serial_number: cert.serialNumber.toUpperCase(),
    issuer_common_name: dnValue(cert.issuer, 'CN'),
    issuer_organization: dnValue(cert.issuer, 'O'),
    issuer_organization_unit: dnValue(cert.issuer, 'OU'),
    valid_from: cert.validFrom,
    valid_to: cert.validTo,
    sha256_fingerprint: createHash('sha256').update(der).digest('hex'),
    sha1_fingerprint: createHash('sha1').update(der).digest('hex'),
    version: version?.tag === 0xa0 ? (children(version.value)[0]?.value[0] ?? 0) + 1 : 1,
    signature_algorithm: SIG_NAMES[parsed?.signatureOid ?? ''] ?? parsed?.signatureOid ?? '',
    signature: sigBits?.tag === 0x03 ? sigBits.value.subarray(1).toString('hex') : '',
    subject_key_identifier: extensionText(ext('2.5.29.14'), 'ski'),
    authority_key_identifier: extensionText(ext('2.5.29.35'), 'aki'),
    key_usage: extensionText(ext('2.5.29.15'), 'ku'),
    extended_key_usage: extensionText(ext('2.5.29.37'), 'eku'),
    policies: extensionText(ext('2.5.29.32'), 'policies'),
    subject_alternative_names: cert.subjectAltName ?? '',
    issuer_alternative_names: '',
    info_access: (cert.infoAccess ?? '').replace(/\n$/, '').replace(/\n/g, ';'),
    subject_info_access: '',
    policy_mappings: '',
    has_expired: Date.parse(cert.validTo) <= Date.now() ? 1 : 0,
    basic_constraint: extensionText(ext('2.5.29.19'), 'bc'),
    name_constraints: '',
    policy_constraints: '',
    dump_certificate: dump,
    timeout,
    pem: dump ? cert.toString() : '',
  };
}

/** Rows for the hostnames a query names. */
export function* curlCertificateRows(ctx: QueryContext): Generator<Row> {
  const dump = (ctx.constraint('dump_certificate') ?? []).includes('1') ? 1 : 0;
  const t = Number(ctx.constraint('timeout')?.[0] ?? DEFAULT_TIMEOUT);
  const timeout = Number.isInteger(t) && t > 0 ? t : DEFAULT_TIMEOUT;
  for (const hostname of new Set(ctx.constraint('hostname') ?? [])) {
    if (ctx.signal.aborted) return;
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d*))?$/.exec(hostname);
    if (!m) {
      ctx.warn(`curl_certificate: ${hostname} is not host or host:port`);
      continue;
    }
    const host = m[1].replace(/^\[|\]$/g, '');
    const port = m[2] ? Number(m[2]) : 443;
    const got = fetchCertificate(host, port, timeout);
    if ('error' in got) {
      ctx.warn(`curl_certificate: cannot get the certificate of ${hostname}: ${got.error}`);
      continue;
    }
    try {
      yield curlCertificateRow(hostname, got.der, dump, timeout);
    } catch (e) {
      ctx.warn(`curl_certificate: the certificate of ${hostname} cannot be parsed`, e);
    }
  }
}

/** Generator for osquery's `curl_certificate` table (needs WHERE hostname = ...). */
export const curlCertificate: TableImpl = {
  name: 'curl_certificate',
  generate: (ctx) => curlCertificateRows(ctx),
};
