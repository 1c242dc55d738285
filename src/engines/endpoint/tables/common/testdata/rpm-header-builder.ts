import { RPMTAG, RPM_TYPE } from '../rpm-header.js';

/** A tag to encode: strings for STRING/arrays, numbers for integer types, bytes for BIN. */
export type Entry = { tag: number; type: number; value: string | string[] | number[] | Uint8Array; bigint?: boolean };

/**
 * Encodes entries in rpm's header blob layout (il, dl, 16-byte index entries, aligned data store), the
 * same layout headerExport() writes into the rpmdb.
 */
export function buildHeaderBlob(entries: Entry[]): Buffer {
  const chunks: Buffer[] = [];
  let dl = 0;
  const index = Buffer.alloc(entries.length * 16);
  const align = { [RPM_TYPE.INT16]: 2, [RPM_TYPE.INT32]: 4, [RPM_TYPE.INT64]: 8 } as Record<number, number>;
  entries.forEach((e, i) => {
    const a = align[e.type] ?? 1;
    if (dl % a !== 0) {
      const pad = a - (dl % a);
      chunks.push(Buffer.alloc(pad));
      dl += pad;
    }
    let data: Buffer;
    let count: number;
    if (e.type === RPM_TYPE.STRING) {
      data = Buffer.from(`${String(e.value)}\0`);
      count = 1;
    } else if (e.type === RPM_TYPE.STRING_ARRAY || e.type === RPM_TYPE.I18NSTRING) {
      const list = e.value as string[];
      data = Buffer.from(list.map((s) => `${s}\0`).join(''));
      count = list.length;
    } else if (e.type === RPM_TYPE.INT32) {
      const list = e.value as number[];
      data = Buffer.alloc(list.length * 4);
      list.forEach((n, k) => data.writeUInt32BE(n, k * 4));
      count = list.length;
    } else if (e.type === RPM_TYPE.INT64) {
      const list = e.value as number[];
      data = Buffer.alloc(list.length * 8);
      list.forEach((n, k) => data.writeBigUInt64BE(BigInt(n), k * 8));
      count = list.length;
    } else {
      data = Buffer.from(e.value as Uint8Array);
      count = data.length;
    }
    index.writeInt32BE(e.tag, i * 16);
    index.writeUInt32BE(e.type, i * 16 + 4);
    index.writeInt32BE(dl, i * 16 + 8);
    index.writeUInt32BE(count, i * 16 + 12);
    chunks.push(data);
    dl += data.length;
  });
  const pre = Buffer.alloc(8);
  pre.writeUInt32BE(entries.length, 0);
  pre.writeUInt32BE(dl, 4);
  return Buffer.concat([pre, index, ...chunks]);
}

export const BASH_HEADER: Entry[] = [
  { tag: RPMTAG.SHA1HEADER, type: RPM_TYPE.STRING, value: '0123456789abcdef0123456789abcdef01234567' },
  { tag: RPMTAG.NAME, type: RPM_TYPE.STRING, value: 'bash' },
  { tag: RPMTAG.VERSION, type: RPM_TYPE.STRING, value: '5.2.15' },
  { tag: RPMTAG.RELEASE, type: RPM_TYPE.STRING, value: '3.fc38' },
  { tag: RPMTAG.EPOCH, type: RPM_TYPE.INT32, value: [1] },
  { tag: RPMTAG.SUMMARY, type: RPM_TYPE.I18NSTRING, value: ['The GNU Bourne Again shell'] },
  { tag: RPMTAG.INSTALLTIME, type: RPM_TYPE.INT32, value: [1700000000] },
  { tag: RPMTAG.SIZE, type: RPM_TYPE.INT32, value: [8123456] },
  { tag: RPMTAG.VENDOR, type: RPM_TYPE.STRING, value: 'Fedora Project' },
  { tag: RPMTAG.GROUP, type: RPM_TYPE.I18NSTRING, value: ['Unspecified'] },
  { tag: RPMTAG.ARCH, type: RPM_TYPE.STRING, value: 'x86_64' },
  { tag: RPMTAG.SOURCERPM, type: RPM_TYPE.STRING, value: 'bash-5.2.15-3.fc38.src.rpm' },
  { tag: 1116, type: RPM_TYPE.INT32, value: [1, 2, 3] },
  { tag: RPMTAG.LONGSIZE, type: RPM_TYPE.INT64, value: [8123456] },
  { tag: 5092, type: RPM_TYPE.BIN, value: new Uint8Array([1, 2, 3, 4]) },
];

