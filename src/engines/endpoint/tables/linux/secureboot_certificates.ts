/**
 * secureboot_certificates: the X.509 certificates in the UEFI Secure Boot databases (db, and dbx
 * for revoked ones), read from efivarfs. Machines booted without UEFI have none.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { certificateRow } from './certificates.js';
import type { QueryContext, Row, TableImpl } from '../../types.js';

export const EFIVARS_DIR = '/sys/firmware/efi/efivars';
/** EFI_IMAGE_SECURITY_DATABASE_GUID: the vendor GUID of db and dbx. */
const SECURITY_DB_GUID = 'd719b2cb-3d3a-4596-a3bc-dad00e67656f';
/** EFI_CERT_X509_GUID in its on-disk (mixed-endian) byte order. */
const CERT_X509 = Buffer.from('a159c0a5e494a74a87b5ab155c2bf072', 'hex');

/**
 * The DER certificates in an efivarfs db/dbx file (4 attribute bytes, then EFI_SIGNATURE_LISTs).
 *
 * @example
 * efiSignatureListCerts(readFileSync(`${EFIVARS_DIR}/db-${SECURITY_DB_GUID}`));
 */
export function efiSignatureListCerts(file: Buffer): Buffer[] {
  const certs: Buffer[] = [];
  let off = 4;
  while (off + 28 <= file.length) {
    const type = file.subarray(off, off + 16);
    const listSize = file.readUInt32LE(off + 16);
    const headerSize = file.readUInt32LE(off + 20);
    const sigSize = file.readUInt32LE(off + 24);
    if (listSize < 28 || off + listSize > file.length) break;
    if (type.equals(CERT_X509) && sigSize > 16) {
      for (let p = off + 28 + headerSize; p + sigSize <= off + listSize; p += sigSize) certs.push(file.subarray(p + 16, p + sigSize));
    }
    off += listSize;
  }
  return certs;
}

/** Rows for one database file; `revoked` is 1 for dbx. */
export function* secureBootCertRows(path: string, revoked: number, ctx: QueryContext): Generator<Row> {
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch {
    return; // no such database on this machine
  }
  for (const der of efiSignatureListCerts(file)) {
    let row: Row;
    try {
      row = certificateRow(new X509Certificate(der), path);
    } catch (e) {
      ctx.warn(`secureboot_certificates: a certificate in ${path} cannot be parsed`, e);
      continue;
    }
    yield {
      common_name: row.common_name, subject: row.subject, issuer: row.issuer, not_valid_before: row.not_valid_before,
      not_valid_after: row.not_valid_after, sha1: row.sha1, serial: row.serial, revoked, path, is_ca: row.ca,
      self_signed: row.self_signed, key_usage: row.key_usage, authority_key_id: row.authority_key_id, subject_key_id: row.subject_key_id,
      signing_algorithm: row.signing_algorithm, key_algorithm: row.key_algorithm, key_strength: row.key_strength,
    };
  }
}

/** Generator for osquery's `secureboot_certificates` table. */
export const securebootCertificates: TableImpl = {
  name: 'secureboot_certificates',
  *generate(ctx) {
    yield* secureBootCertRows(join(EFIVARS_DIR, `db-${SECURITY_DB_GUID}`), 0, ctx);
    yield* secureBootCertRows(join(EFIVARS_DIR, `dbx-${SECURITY_DB_GUID}`), 1, ctx);
  },
};
