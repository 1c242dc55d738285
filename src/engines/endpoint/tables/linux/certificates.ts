/**
 * certificates: X.509 certificates in the system trust store. By default osquery reads
 * /etc/ssl/certs/ca-certificates.crt (the bundle update-ca-certificates writes); a `path`
 * constraint reads those files (PEM, one or many certificates) instead.
 */
import { X509Certificate, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { certificateDer, children, readTlv } from '../common/der.js';
import type { QueryContext, Row, TableImpl } from '../../types.js';

export const DEFAULT_CERT_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt'];

const SIGNATURE_NAMES: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.2.840.10040.4.3': 'dsaWithSHA1',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
};
const KEY_NAMES: Record<string, string> = {
  '1.2.840.113549.1.1.1': 'rsaEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.10045.2.1': 'id-ecPublicKey',
  '1.2.840.10040.4.1': 'dsaEncryption',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
};
const CURVE_NAMES: Record<string, string> = {
  '1.2.840.10045.3.1.7': 'prime256v1',
  '1.3.132.0.34': 'secp384r1',
  '1.3.132.0.35': 'secp521r1',
  '1.3.132.0.10': 'secp256k1',
};
/** Key usage bit names, in the order osquery lists them (highest bit first). */
const KEY_USAGE_BITS = ['Digital Signature', 'Non Repudiation', 'Key Encipherment', 'Data Encipherment', 'Key Agreement', 'Key Cert Sign', 'CRL Sign', 'Encipher Only', 'Decipher Only'];

/** Splits PEM text into its CERTIFICATE blocks. */
export function pemCertificates(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}

/** The key usage names set in a keyUsage extension value (a DER BIT STRING). */
export function keyUsageNames(ext: Buffer | undefined): string {
  const bits = ext && readTlv(ext);
  if (!bits || bits.tag !== 0x03 || bits.value.length < 2) return '';
  const names: string[] = [];
  for (let i = KEY_USAGE_BITS.length - 1; i >= 0; i--) {
    const byte = bits.value[1 + (i >> 3)];
    if (byte !== undefined && byte & (0x80 >> (i & 7))) names.push(KEY_USAGE_BITS[i]);
  }
  return names.join(', ');
}

/** OpenSSL's one-line form of a distinguished name ("/C=US/O=Example/CN=Root"). */
function oneLine(multiline: string): string {
  if (multiline === '') return '';
  return multiline
    .split('\n')
    .map((rdn) => `/${hexEscapeNonAscii(unescapeDn(rdn).replace(/\//g, '\\/'))}`)
    .join('');
}

/** X509_NAME_oneline writes bytes outside printable ASCII as \xHH (of the UTF-8 encoding). */
function hexEscapeNonAscii(value: string): string {
  return value.replace(/[^\x20-\x7e]/gu, (ch) =>
    [...Buffer.from(ch, 'utf8')].map((b) => `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

/** Undoes node's RFC 2253 escaping of ",+\"\\<>;#" in a DN value, which OpenSSL's one-line form does not use. */
function unescapeDn(value: string): string {
  return value.replace(/\\([,+"\\<>;#= ])/g, '$1');
}

function keyIdHex(ext: Buffer | undefined, authority: boolean): string {
  const t = ext && readTlv(ext);
  if (!t) return '';
  if (!authority) return t.tag === 0x04 ? t.value.toString('hex') : '';
  const id = t.tag === 0x30 ? children(t.value).find((c) => c.tag === 0x80) : undefined;
  return id ? id.value.toString('hex') : '';
}

/**
 * The osquery row for one certificate.
 *
 * @example
 * certificateRow(new X509Certificate(pem), '/etc/ssl/certs/x.pem');
 */
export function certificateRow(cert: X509Certificate, path: string): Row {
  const der = certificateDer(cert.raw);
  const legacy = cert.toLegacyObject() as { ca?: boolean; bits?: number; asn1Curve?: string };
  const keyOid = der?.keyOid ?? '';
  const isEc = KEY_NAMES[keyOid] === 'id-ecPublicKey';
  let selfSigned = 0;
  try {
    selfSigned = cert.checkIssued(cert) && cert.verify(cert.publicKey) ? 1 : 0;
  } catch {
    selfSigned = 0;
  }
  const cn = unescapeDn(/(?:^|\n)CN=([^\n]*)/.exec(cert.subject)?.[1] ?? '');
  return {
    common_name: cn,
    subject: oneLine(cert.subject),
    subject2: cert.subject.split('\n').join(', '),
    issuer: oneLine(cert.issuer),
    issuer2: cert.issuer.split('\n').join(', '),
    ca: legacy.ca ? 1 : 0,
    self_signed: selfSigned,
    not_valid_before: String(Math.floor(Date.parse(cert.validFrom) / 1000)),
    not_valid_after: String(Math.floor(Date.parse(cert.validTo) / 1000)),
    signing_algorithm: SIGNATURE_NAMES[der?.signatureOid ?? ''] ?? der?.signatureOid ?? '',
    key_algorithm: KEY_NAMES[keyOid] ?? keyOid,
    // osquery reports the curve for EC keys and the size in bits otherwise.
    key_strength: isEc ? (CURVE_NAMES[der?.keyParamOid ?? ''] ?? legacy.asn1Curve ?? '') : legacy.bits !== undefined ? String(legacy.bits) : '',
    key_usage: keyUsageNames(der?.extensions.get('2.5.29.15')),
    subject_key_id: keyIdHex(der?.extensions.get('2.5.29.14'), false),
    authority_key_id: keyIdHex(der?.extensions.get('2.5.29.35'), true),
    sha1: createHash('sha1').update(cert.raw).digest('hex'),
    path,
    serial: cert.serialNumber.toUpperCase(),
    sid: null,
    store_location: null,
    store: null,
    username: null,
    store_id: null,
  };
}

/** Rows for the certificates in one PEM file. */
export function* certificateFileRows(path: string, ctx: QueryContext, warnMissing: boolean): Generator<Row> {
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch (e) {
    if (warnMissing) ctx.warn(`certificates: cannot read ${path}`, e);
    return;
  }
  for (const pem of pemCertificates(text)) {
    if (ctx.signal.aborted) return;
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pem);
    } catch (e) {
      ctx.warn(`certificates: a certificate in ${path} cannot be parsed`, e);
      continue;
    }
    yield certificateRow(cert, path);
  }
}

/** Generator for osquery's `certificates` table. */
export const certificates: TableImpl = {
  name: 'certificates',
  *generate(ctx) {
    const pinned = ctx.constraint('path');
    for (const path of pinned ?? DEFAULT_CERT_BUNDLES) yield* certificateFileRows(path, ctx, pinned !== undefined);
  },
};
