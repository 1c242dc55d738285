/**
 * Reads one named entry out of a ZIP archive (a .jar) synchronously, touching only the end
 * record, the central directory and that entry. Table generators cannot await, so yauzl's
 * asynchronous API does not fit here. ZIP64 archives and encrypted entries are reported as errors.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

/** Entries larger than this are refused (a small XML file is expected; this bounds zip bombs). */
const MAX_ENTRY_BYTES = 16 * 1024 * 1024;

function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  const n = readSync(fd, buf, 0, length, position);
  return buf.subarray(0, n);
}

/**
 * The bytes of entry `name` in the ZIP file at `path`, undefined when the archive has no such
 * entry. Throws an Error naming the problem when the archive is malformed or unsupported.
 *
 * @example
 * const xml = readZipEntry('plugin.jar', 'META-INF/plugin.xml')?.toString('utf8');
 */
export function readZipEntry(path: string, name: string): Buffer | undefined {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const tailLength = Math.min(size, 22 + 65535);
    const tail = readAt(fd, size - tailLength, tailLength);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new Error('no end of central directory record (not a ZIP archive)');
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (cdOffset === 0xffffffff || count === 0xffff) throw new Error('ZIP64 archives are not supported');
    if (cdOffset + cdSize > size) throw new Error('the central directory lies past the end of the file');
    const cd = readAt(fd, cdOffset, cdSize);
    let p = 0;
    for (let n = 0; n < count && p + 46 <= cd.length; n++) {
      if (cd.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory entry');
      const flags = cd.readUInt16LE(p + 8);
      const method = cd.readUInt16LE(p + 10);
      const compressed = cd.readUInt32LE(p + 20);
      const uncompressed = cd.readUInt32LE(p + 24);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      const local = cd.readUInt32LE(p + 42);
      const entryName = cd.subarray(p + 46, p + 46 + nameLen).toString('utf8');
      p += 46 + nameLen + extraLen + commentLen;
      if (entryName !== name) continue;
      if (flags & 1) throw new Error(`${name} is encrypted`);
      if (uncompressed > MAX_ENTRY_BYTES || compressed > MAX_ENTRY_BYTES) throw new Error(`${name} is larger than ${MAX_ENTRY_BYTES} bytes`);
      const header = readAt(fd, local, 30);
      if (header.length < 30 || header.readUInt32LE(0) !== 0x04034b50) throw new Error(`bad local header for ${name}`);
      const dataStart = local + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
      const data = readAt(fd, dataStart, compressed);
      if (method === 0) return data;
      if (method === 8) return inflateRawSync(data, { maxOutputLength: MAX_ENTRY_BYTES });
      throw new Error(`${name} uses compression method ${method}`);
    }
    return undefined;
  } finally {
    closeSync(fd);
  }
}
