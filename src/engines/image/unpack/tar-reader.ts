import { Writable } from 'node:stream';
import { TAR_BLOCK, decodeTarHeader, gnuLongName, isZeroBlock, parsePaxRecords } from '../fetch/tar-header.js';

/** One tar entry's header after pax / GNU long-name overrides. */
export interface TarEntryHeader {
  readonly name: string;
  /** Bytes of data stored in the archive for this entry. */
  readonly size: number;
  readonly flag: string;
  readonly linkname: string;
}

/** Thrown inside the reader; the layer scanner turns it into IMG_LAYER_CORRUPT with the layer name. */
export class TarFormatError extends Error {
  constructor(
    message: string,
    readonly entry: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'TarFormatError';
  }
}

/** Largest pax or GNU long-name header accepted (real ones are a few hundred bytes). */
const MAX_META = 1 << 20;

/**
 * A streaming tar reader: a Writable fed with tar bytes that calls `onEntry` for each entry. When
 * `onEntry` returns true, the entry's data is collected and passed to `onData`; otherwise it is
 * skipped without copying. Everything is synchronous per chunk: no per-entry streams.
 * Bytes after the end-of-archive blocks are drained (so digest checks upstream see the whole blob).
 *
 * @example
 * const r = createTarReader((h) => h.name === 'etc/os-release', (h, data) => keep(data));
 * await pipeline(gunzipped, r);
 */
export function createTarReader(
  onEntry: (h: TarEntryHeader) => boolean,
  onData: (h: TarEntryHeader, data: Buffer) => void,
): Writable {
  let offset = 0; // bytes consumed so far
  let header: Buffer = Buffer.alloc(TAR_BLOCK);
  let headerFill = 0;
  let state: 'header' | 'data' | 'meta' | 'end' = 'header';
  let remaining = 0; // data bytes of the current entry left
  let padding = 0; // padding bytes left after data
  let current: TarEntryHeader | undefined;
  let collect: Buffer[] | undefined;
  let metaBuf: Buffer | undefined;
  let metaFill = 0;
  let metaFlag = '';
  let pax: Record<string, string> = {};
  let longName: string | undefined;
  let longLink: string | undefined;
  let zeroBlocks = 0;
  let lastName = '(start)';

  const onHeader = () => {
    if (isZeroBlock(header, 0)) {
      zeroBlocks++;
      if (zeroBlocks >= 2) state = 'end';
      return;
    }
    if (zeroBlocks > 0) throw new TarFormatError('data after an end-of-archive block', lastName, offset);
    const h = decodeTarHeader(header, 0);
    if (typeof h === 'string') throw new TarFormatError(h, lastName, offset - TAR_BLOCK);
    padding = (TAR_BLOCK - (h.size % TAR_BLOCK)) % TAR_BLOCK;
    if (h.flag === 'x' || h.flag === 'g' || h.flag === 'L' || h.flag === 'K') {
      if (h.size > MAX_META) throw new TarFormatError(`extended header of ${h.size} bytes`, lastName, offset);
      metaFlag = h.flag;
      metaBuf = Buffer.alloc(h.size);
      metaFill = 0;
      remaining = h.size;
      state = 'meta';
      if (h.size === 0) finishMeta();
      return;
    }
    const name = pax.path ?? longName ?? h.name;
    const linkname = pax.linkpath ?? longLink ?? h.linkname;
    const paxSize = pax.size;
    pax = {};
    longName = undefined;
    longLink = undefined;
    // A pax `size` overrides the header (values over 8 GiB). Links, devices, directories and fifos
    // carry no data, whatever their size field says (as Python's tarfile and GNU tar read them).
    let size = h.size;
    if (paxSize !== undefined && /^\d{1,16}$/.test(paxSize)) size = Number(paxSize);
    if ('123456'.includes(h.flag)) size = 0;
    padding = (TAR_BLOCK - (size % TAR_BLOCK)) % TAR_BLOCK;
    current = { name, size, flag: h.flag, linkname };
    lastName = name;
    remaining = size;
    collect = onEntry(current) ? [] : undefined;
    state = 'data';
    if (remaining === 0) finishData();
  };

  const finishMeta = () => {
    const data = metaBuf!;
    if (metaFlag === 'x') pax = parsePaxRecords(data);
    else if (metaFlag === 'L') longName = gnuLongName(data);
    else if (metaFlag === 'K') longLink = gnuLongName(data);
    metaBuf = undefined;
    state = 'data';
    current = undefined;
    collect = undefined;
    remaining = 0;
    finishData();
  };

  const finishData = () => {
    if (collect !== undefined && current !== undefined) onData(current, collect.length === 1 ? collect[0]! : Buffer.concat(collect));
    collect = undefined;
    current = undefined;
    if (padding === 0) state = 'header';
  };

  const consume = (chunk: Buffer) => {
    let i = 0;
    while (i < chunk.length) {
      switch (state) {
        case 'end':
          offset += chunk.length - i;
          return;
        case 'header': {
          const n = Math.min(TAR_BLOCK - headerFill, chunk.length - i);
          if (headerFill === 0 && n === TAR_BLOCK) {
            header = chunk.subarray(i, i + TAR_BLOCK);
          } else {
            if (headerFill === 0) header = Buffer.alloc(TAR_BLOCK);
            chunk.copy(header, headerFill, i, i + n);
          }
          headerFill += n;
          i += n;
          offset += n;
          if (headerFill === TAR_BLOCK) {
            headerFill = 0;
            onHeader();
          }
          break;
        }
        case 'meta': {
          const n = Math.min(remaining, chunk.length - i);
          chunk.copy(metaBuf!, metaFill, i, i + n);
          metaFill += n;
          remaining -= n;
          i += n;
          offset += n;
          if (remaining === 0) finishMeta();
          break;
        }
        case 'data': {
          if (remaining > 0) {
            const n = Math.min(remaining, chunk.length - i);
            if (collect !== undefined) collect.push(Buffer.from(chunk.subarray(i, i + n)));
            remaining -= n;
            i += n;
            offset += n;
            if (remaining === 0) finishData();
          } else {
            // padding
            const n = Math.min(padding, chunk.length - i);
            padding -= n;
            i += n;
            offset += n;
            if (padding === 0) state = 'header';
          }
          break;
        }
      }
    }
  };

  return new Writable({
    highWaterMark: 1 << 20,
    write(chunk: Buffer, _e, cb) {
      try {
        consume(chunk);
        cb();
      } catch (e) {
        cb(e as Error);
      }
    },
    final(cb) {
      // A missing end-of-archive marker (or an empty blob) is accepted, as Go's archive/tar does.
      if (state === 'end' || (state === 'header' && headerFill === 0)) {
        cb();
        return;
      }
      cb(new TarFormatError(state === 'header' ? 'truncated tar header' : `truncated inside entry ${JSON.stringify(current?.name ?? lastName)}`, lastName, offset));
    },
  });
}
