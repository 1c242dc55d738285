/**
 * The rpm header blob as stored in rpmdb (sqlite `Packages.blob`, ndb, bdb): a big-endian index of
 * (tag, type, offset, count) entries followed by a data store. Pure and bounds-checked.
 */
import { err, ok, type Result } from '../../../core/result.js';

export const RPMTAG = { NAME: 1000, VERSION: 1001, RELEASE: 1002, EPOCH: 1003, ARCH: 1022, SOURCERPM: 1044 } as const;
const TYPE = { INT32: 4, STRING: 6, STRING_ARRAY: 8, I18NSTRING: 9 } as const;
const MAX_ENTRIES = 0x10000;
const MAX_DATA = 256 * 1024 * 1024;

/** The fields Vigil needs from one installed rpm. */
export interface RpmHeaderFields {
  readonly name: string;
  readonly version: string;
  readonly release: string;
  readonly epoch?: number;
  readonly arch?: string;
  readonly sourceRpm?: string;
}

/**
 * Decodes name, epoch, version, release, arch and source rpm from a header blob.
 *
 * @example
 * const r = parseRpmHeader(row.blob); if (r.ok) console.log(r.value.name);
 */
export function parseRpmHeader(blob: Uint8Array): Result<RpmHeaderFields> {
  if (blob.length < 8) return err('header shorter than 8 bytes');
  const v = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const il = v.getUint32(0);
  const dl = v.getUint32(4);
  if (il === 0 || il > MAX_ENTRIES) return err(`bad index length ${il}`);
  if (dl > MAX_DATA) return err(`bad data length ${dl}`);
  const dataStart = 8 + il * 16;
  if (dataStart + dl > blob.length) return err(`header needs ${dataStart + dl} bytes, has ${blob.length}`);
  const strings = new Map<number, string>();
  let epoch: number | undefined;
  const wanted = new Set<number>(Object.values(RPMTAG));
  for (let i = 0; i < il; i++) {
    const at = 8 + i * 16;
    const tag = v.getUint32(at);
    if (!wanted.has(tag)) continue;
    const type = v.getUint32(at + 4);
    const offset = v.getInt32(at + 8);
    const count = v.getUint32(at + 12);
    if (offset < 0 || offset >= dl) return err(`tag ${tag}: offset ${offset} outside the data (${dl} bytes)`);
    const p = dataStart + offset;
    if (tag === RPMTAG.EPOCH) {
      if (type !== TYPE.INT32 || count < 1 || offset + 4 > dl) return err('bad EPOCH tag');
      epoch = v.getInt32(p);
      continue;
    }
    if (type !== TYPE.STRING && type !== TYPE.I18NSTRING && type !== TYPE.STRING_ARRAY) return err(`tag ${tag}: type ${type} is not a string`);
    let end = p;
    const stop = dataStart + dl;
    while (end < stop && blob[end] !== 0) end++;
    if (end >= stop) return err(`tag ${tag}: unterminated string`);
    strings.set(tag, Buffer.from(blob.buffer, blob.byteOffset + p, end - p).toString('utf8'));
  }
  const name = strings.get(RPMTAG.NAME);
  const version = strings.get(RPMTAG.VERSION);
  const release = strings.get(RPMTAG.RELEASE);
  if (!name || version === undefined || release === undefined) return err('header without NAME, VERSION or RELEASE');
  const arch = strings.get(RPMTAG.ARCH);
  const sourceRpm = strings.get(RPMTAG.SOURCERPM);
  return ok({
    name,
    version,
    release,
    ...(epoch !== undefined ? { epoch } : {}),
    ...(arch !== undefined ? { arch } : {}),
    ...(sourceRpm !== undefined && sourceRpm !== '(none)' ? { sourceRpm } : {}),
  });
}

/** Splits `name-version-release.src.rpm` into its name and version-release. */
export function splitSourceRpm(file: string): { name: string; version: string; release: string } | undefined {
  const m = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(file);
  return m ? { name: m[1]!, version: m[2]!, release: m[3]! } : undefined;
}
