/**
 * Decoder for RPM package headers as rpm stores them in its database (the "header blob": no lead and no
 * magic, just the index and the data store). Layout, all integers big-endian:
 *
 *   int32 il, int32 dl, il x { int32 tag, uint32 type, int32 offset, uint32 count }, dl bytes of data
 *
 * Every offset and count is checked against the data store before it is read, so a corrupt or hostile
 * blob gives an AppError, never an out-of-range read.
 */
import { AppError } from '../../../../core/errors.js';

/** RPM tag numbers used by the package tables (rpmtag.h). */
export const RPMTAG = {
  HEADERIMAGE: 61,
  HEADERSIGNATURES: 62,
  HEADERIMMUTABLE: 63,
  HEADERI18NTABLE: 100,
  SHA1HEADER: 269,
  SHA256HEADER: 273,
  NAME: 1000,
  VERSION: 1001,
  RELEASE: 1002,
  EPOCH: 1003,
  SUMMARY: 1004,
  INSTALLTIME: 1008,
  SIZE: 1009,
  VENDOR: 1011,
  GROUP: 1016,
  ARCH: 1022,
  SOURCERPM: 1044,
  OLDFILENAMES: 1027,
  FILESIZES: 1028,
  FILEMODES: 1030,
  FILEDIGESTS: 1035,
  FILEUSERNAME: 1039,
  FILEGROUPNAME: 1040,
  DIRINDEXES: 1116,
  BASENAMES: 1117,
  DIRNAMES: 1118,
  LONGFILESIZES: 5008,
  LONGSIZE: 5009,
  FILEDIGESTALGO: 5011,
} as const;

/** PGPHASHALGO_SHA256: the FILEDIGESTALGO value for SHA-256 file digests (absent means MD5). */
export const PGPHASHALGO_SHA256 = 8;

/** RPM data types (rpmTagType). */
export const RPM_TYPE = {
  NULL: 0,
  CHAR: 1,
  INT8: 2,
  INT16: 3,
  INT32: 4,
  INT64: 5,
  STRING: 6,
  BIN: 7,
  STRING_ARRAY: 8,
  I18NSTRING: 9,
} as const;

/** A decoded tag value: numbers for integer types, strings for string types, bytes for BIN. */
export type RpmValue = readonly number[] | readonly string[] | Uint8Array;

/** rpm's own sanity limits (header.c hdrchkTags / hdrchkData). */
const MAX_INDEX_ENTRIES = 0xffff;
const MAX_DATA_LENGTH = 0x0fffffff;

/** A decoded header: tag number -> value. */
export class RpmHeader {
  constructor(readonly tags: ReadonlyMap<number, RpmValue>) {}

  /** The first string of a STRING / STRING_ARRAY / I18NSTRING tag, or null when absent. */
  string(tag: number): string | null {
    const v = this.tags.get(tag);
    return Array.isArray(v) && typeof v[0] === 'string' ? v[0] : null;
  }

  /** All strings of a string tag, or [] when absent. */
  strings(tag: number): readonly string[] {
    const v = this.tags.get(tag);
    return Array.isArray(v) && (v.length === 0 || typeof v[0] === 'string') ? (v as readonly string[]) : [];
  }

  /** All numbers of an integer tag, or [] when absent. */
  numbers(tag: number): readonly number[] {
    const v = this.tags.get(tag);
    return Array.isArray(v) && (v.length === 0 || typeof v[0] === 'number') ? (v as readonly number[]) : [];
  }

  /** The first number of an integer tag, or null when absent. */
  number(tag: number): number | null {
    const v = this.tags.get(tag);
    return Array.isArray(v) && typeof v[0] === 'number' ? v[0] : null;
  }
}

function corrupt(where: string, offset: number, what: string): AppError {
  return new AppError('EP_RPM_HEADER_CORRUPT', `${where}: corrupt RPM header at byte ${offset}: ${what}`, {
    details: { source: where, offset },
  });
}

function readString(data: Uint8Array, start: number, where: string, base: number): [string, number] {
  const end = data.indexOf(0, start);
  if (end < 0) throw corrupt(where, base + start, 'string runs past the end of the data store');
  return [Buffer.from(data.buffer, data.byteOffset + start, end - start).toString('utf8'), end + 1];
}

/**
 * Decodes a header blob. `where` names the source for error messages (e.g. "/var/lib/rpm/rpmdb.sqlite
 * hnum 42").
 *
 * @example
 * const h = parseRpmHeader(blob, 'rpmdb.sqlite hnum 1');
 * h.string(RPMTAG.NAME) // 'bash'
 */
export function parseRpmHeader(blob: Uint8Array, where: string): RpmHeader {
  if (blob.length < 8) throw corrupt(where, 0, `blob of ${blob.length} bytes is shorter than the 8-byte preamble`);
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const il = view.getUint32(0);
  const dl = view.getUint32(4);
  if (il < 1 || il > MAX_INDEX_ENTRIES) throw corrupt(where, 0, `index entry count ${il} is out of range`);
  if (dl > MAX_DATA_LENGTH) throw corrupt(where, 4, `data length ${dl} is out of range`);
  const dataStart = 8 + il * 16;
  if (dataStart + dl > blob.length) {
    throw corrupt(where, 4, `index (${il} entries) and data (${dl} bytes) need ${dataStart + dl} bytes, the blob has ${blob.length}`);
  }
  const data = blob.subarray(dataStart, dataStart + dl);
  const dataView = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const tags = new Map<number, RpmValue>();
  for (let i = 0; i < il; i++) {
    const at = 8 + i * 16;
    const tag = view.getInt32(at);
    const type = view.getUint32(at + 4);
    const offset = view.getInt32(at + 8);
    const count = view.getUint32(at + 12);
    if (offset < 0 || offset > dl) throw corrupt(where, at + 8, `tag ${tag} offset ${offset} is outside the ${dl}-byte data store`);
    if (count > dl + 1 && type !== RPM_TYPE.NULL) throw corrupt(where, at + 12, `tag ${tag} count ${count} exceeds the data store`);
    const fixed = (size: number): void => {
      if (offset + count * size > dl) throw corrupt(where, at + 12, `tag ${tag} needs ${count * size} bytes at offset ${offset}, past the data store`);
    };
    switch (type) {
      case RPM_TYPE.NULL:
        break;
      case RPM_TYPE.CHAR:
      case RPM_TYPE.INT8:
        fixed(1);
        tags.set(tag, Array.from(data.subarray(offset, offset + count)));
        break;
      case RPM_TYPE.INT16: {
        fixed(2);
        const v: number[] = [];
        for (let k = 0; k < count; k++) v.push(dataView.getUint16(offset + 2 * k));
        tags.set(tag, v);
        break;
      }
      case RPM_TYPE.INT32: {
        fixed(4);
        const v: number[] = [];
        for (let k = 0; k < count; k++) v.push(dataView.getUint32(offset + 4 * k));
        tags.set(tag, v);
        break;
      }
      case RPM_TYPE.INT64: {
        fixed(8);
        const v: number[] = [];
        for (let k = 0; k < count; k++) v.push(Number(dataView.getBigUint64(offset + 8 * k)));
        tags.set(tag, v);
        break;
      }
      case RPM_TYPE.BIN:
        fixed(1);
        tags.set(tag, data.subarray(offset, offset + count));
        break;
      case RPM_TYPE.STRING:
      case RPM_TYPE.STRING_ARRAY:
      case RPM_TYPE.I18NSTRING: {
        if (type === RPM_TYPE.STRING && count !== 1) throw corrupt(where, at + 12, `STRING tag ${tag} has count ${count}, not 1`);
        const v: string[] = [];
        let pos = offset;
        for (let k = 0; k < count; k++) {
          const [s, next] = readString(data, pos, where, dataStart);
          v.push(s);
          pos = next;
        }
        tags.set(tag, v);
        break;
      }
      default:
        throw corrupt(where, at + 4, `tag ${tag} has unknown type ${type}`);
    }
  }
  return new RpmHeader(tags);
}
