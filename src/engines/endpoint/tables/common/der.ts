/**
 * A minimal DER reader for the X.509 fields node:crypto does not expose (signature algorithm,
 * key usage bits, key identifiers). It reads definite-length TLVs only, which is all DER allows,
 * and returns undefined instead of throwing on malformed input.
 */

export interface Tlv {
  readonly tag: number;
  /** The value bytes. */
  readonly value: Buffer;
  /** Offset of the byte after this TLV in the buffer it was read from. */
  readonly end: number;
}

/** Reads one TLV at `off`, or undefined when the bytes there are not a well-formed DER TLV. */
export function readTlv(buf: Buffer, off = 0): Tlv | undefined {
  if (off + 2 > buf.length) return undefined;
  const tag = buf[off];
  if ((tag & 0x1f) === 0x1f) return undefined; // multi-byte tags do not occur in certificates
  let len = buf[off + 1];
  let p = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || p + n > buf.length) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p + i];
    p += n;
  }
  if (p + len > buf.length) return undefined;
  return { tag, value: buf.subarray(p, p + len), end: p + len };
}

/** The TLVs inside a constructed value. */
export function children(value: Buffer): Tlv[] {
  const out: Tlv[] = [];
  for (let off = 0; off < value.length; ) {
    const t = readTlv(value, off);
    if (!t) break;
    out.push(t);
    off = t.end;
  }
  return out;
}

/** Decodes an OBJECT IDENTIFIER's value bytes to dotted form. */
export function decodeOid(value: Buffer): string {
  if (value.length === 0) return '';
  const parts: number[] = [Math.floor(value[0] / 40), value[0] % 40];
  let n = 0;
  for (let i = 1; i < value.length; i++) {
    n = n * 128 + (value[i] & 0x7f);
    if ((value[i] & 0x80) === 0) {
      parts.push(n);
      n = 0;
    }
  }
  return parts.join('.');
}

export interface CertificateDer {
  readonly signatureOid: string;
  readonly keyOid: string;
  /** The named curve of an EC key, as an OID. */
  readonly keyParamOid: string;
  readonly extensions: ReadonlyMap<string, Buffer>;
}

/**
 * The parts of a DER certificate the certificates table needs, or undefined when malformed.
 *
 * @example
 * certificateDer(new X509Certificate(pem).raw)?.signatureOid; // '1.2.840.113549.1.1.11'
 */
export function certificateDer(raw: Buffer): CertificateDer | undefined {
  const cert = readTlv(raw);
  if (!cert || cert.tag !== 0x30) return undefined;
  const [tbs, sigAlg] = children(cert.value);
  if (!tbs || !sigAlg) return undefined;
  const sigOid = children(sigAlg.value)[0];
  const fields = children(tbs.value);
  let i = fields[0]?.tag === 0xa0 ? 1 : 0; // explicit version
  // serial, signature, issuer, validity, subject, subjectPublicKeyInfo
  const spki = fields[i + 5];
  if (!spki || !sigOid) return undefined;
  const [alg] = children(spki.value);
  const [keyOid, keyParam] = alg ? children(alg.value) : [];
  const extensions = new Map<string, Buffer>();
  for (i = i + 6; i < fields.length; i++) {
    if (fields[i].tag !== 0xa3) continue;
    const [seq] = children(fields[i].value);
    for (const ext of seq ? children(seq.value) : []) {
      const parts = children(ext.value);
      const oid = parts[0];
      const octets = parts[parts.length - 1];
      if (oid?.tag === 0x06 && octets?.tag === 0x04) extensions.set(decodeOid(oid.value), octets.value);
    }
  }
  return {
    signatureOid: decodeOid(sigOid.value),
    keyOid: keyOid ? decodeOid(keyOid.value) : '',
    keyParamOid: keyParam?.tag === 0x06 ? decodeOid(keyParam.value) : '',
    extensions,
  };
}
