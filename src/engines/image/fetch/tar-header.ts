/**
 * The tar header format (POSIX ustar, pax extended headers, GNU long names and base-256 sizes),
 * shared by the archive indexer (fetch/) and the layer reader (unpack/). Pure functions on bytes.
 */

export const TAR_BLOCK = 512;

/** A decoded 512-byte tar header (before pax/GNU overrides). */
export interface RawTarHeader {
  readonly name: string;
  readonly size: number;
  /** Type flag character: '0' file, '1' hard link, '2' symlink, '5' directory, 'x' pax, 'L' GNU long name... */
  readonly flag: string;
  readonly linkname: string;
}

function cstr(b: Uint8Array, start: number, len: number): string {
  let end = start;
  const stop = start + len;
  while (end < stop && b[end] !== 0) end++;
  return Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8');
}

/** Parses an octal numeric field, or GNU base-256 when the high bit is set. NaN when invalid. */
export function parseTarNumber(b: Uint8Array, start: number, len: number): number {
  if ((b[start]! & 0x80) !== 0) {
    let v = 0;
    for (let i = 1; i < len; i++) v = v * 256 + b[start + i]!;
    return v;
  }
  let v = 0;
  let seen = false;
  for (let i = start; i < start + len; i++) {
    const c = b[i]!;
    if (c === 0 || c === 0x20) {
      if (seen) break;
      continue;
    }
    if (c < 0x30 || c > 0x37) return NaN;
    v = v * 8 + (c - 0x30);
    seen = true;
  }
  return v;
}

/** True when the block is all zeros (end-of-archive marker). */
export function isZeroBlock(b: Uint8Array, start: number): boolean {
  for (let i = start; i < start + TAR_BLOCK; i++) if (b[i] !== 0) return false;
  return true;
}

/** Verifies the header checksum (unsigned, or signed as some old tars wrote it). */
export function tarChecksumOk(b: Uint8Array, start: number): boolean {
  const stored = parseTarNumber(b, start + 148, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < TAR_BLOCK; i++) {
    const c = i >= 148 && i < 156 ? 32 : b[start + i]!;
    unsigned += c;
    signed += c > 127 ? c - 256 : c;
  }
  return stored === unsigned || stored === signed;
}

/**
 * Decodes the header block at `start`, or returns an error string (bad checksum, bad size).
 *
 * @example
 * const h = decodeTarHeader(block, 0); if (typeof h === 'string') throw new Error(h);
 */
export function decodeTarHeader(b: Uint8Array, start: number): RawTarHeader | string {
  if (!tarChecksumOk(b, start)) return 'bad tar header checksum';
  const size = parseTarNumber(b, start + 124, 12);
  if (!Number.isFinite(size) || size < 0 || size > Number.MAX_SAFE_INTEGER) return 'bad tar size field';
  const flag = String.fromCharCode(b[start + 156]!);
  const ustar = b[start + 257] === 0x75 && b[start + 258] === 0x73 && b[start + 259] === 0x74 && b[start + 260] === 0x61 && b[start + 261] === 0x72;
  const base = cstr(b, start, 100);
  // GNU tar (magic "ustar  ") uses bytes 345.. for times, not a prefix.
  const gnu = ustar && b[start + 262] === 0x20;
  const prefix = ustar && !gnu ? cstr(b, start + 345, 155) : '';
  return { name: prefix ? `${prefix}/${base}` : base, size, flag: flag === '\0' ? '0' : flag, linkname: cstr(b, start + 157, 100) };
}

/** Parses pax extended header records (`len key=value\n`). Malformed records end the parse. */
export function parsePaxRecords(data: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  const buf = Buffer.from(data.buffer, data.byteOffset, data.length);
  let i = 0;
  while (i < buf.length) {
    const sp = buf.indexOf(0x20, i);
    if (sp < 0 || sp - i > 20) break;
    const len = parseInt(buf.toString('latin1', i, sp), 10);
    if (!Number.isFinite(len) || len <= sp - i || i + len > buf.length) break;
    const rec = buf.toString('utf8', sp + 1, i + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    i += len;
  }
  return out;
}

/** A cstring from GNU long name data. */
export function gnuLongName(data: Uint8Array): string {
  return cstr(data, 0, data.length);
}
