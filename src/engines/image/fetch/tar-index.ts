import { open, type FileHandle } from 'node:fs/promises';
import { posix } from 'node:path';
import { AppError } from '../../../core/errors.js';

/** One member of a tar archive, located by byte offset so it can be read in place. */
export interface TarMember {
  readonly name: string;
  /** 'file' | 'symlink' | 'link' (hard link) | 'directory' | 'other' */
  readonly type: 'file' | 'symlink' | 'link' | 'directory' | 'other';
  readonly offset: number;
  readonly size: number;
  readonly linkname?: string;
}

/** An index of an uncompressed tar file: name -> member. Only headers are read; data is skipped. */
export interface TarIndex {
  readonly path: string;
  readonly members: ReadonlyMap<string, TarMember>;
  /** Follows symlinks and hard links inside the archive (bounded) to a regular file. */
  resolve(name: string): TarMember | undefined;
  read(member: TarMember, max: number, what: string): Promise<Buffer>;
  close(): Promise<void>;
  readonly fh: FileHandle;
}

const BLOCK = 512;
const MAX_MEMBERS = 100_000;

function cstr(b: Buffer, start: number, len: number): string {
  const end = b.indexOf(0, start);
  return b.toString('utf8', start, end < 0 || end > start + len ? start + len : end);
}

function parseOctal(b: Buffer, start: number, len: number): number {
  if ((b[start]! & 0x80) !== 0) {
    // GNU base-256 for sizes >= 8 GiB
    let v = 0;
    for (let i = 1; i < len; i++) v = v * 256 + b[start + i]!;
    return v;
  }
  const s = cstr(b, start, len).trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) return NaN;
  return parseInt(s, 8);
}

function checksumOk(h: Buffer): boolean {
  const stored = parseOctal(h, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
  return sum === stored;
}

/** Normalises an archive member name: no leading ./ or /, no trailing /. */
export function normalizeArchiveName(name: string): string {
  const n = posix.normalize('/' + name).slice(1);
  return n.replace(/\/$/, '');
}

function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(0x20, i);
    if (sp < 0) break;
    const len = parseInt(data.toString('utf8', i, sp), 10);
    if (!Number.isFinite(len) || len <= 0 || i + len > data.length) break;
    const rec = data.toString('utf8', sp + 1, i + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    i += len;
  }
  return out;
}

/**
 * Indexes an uncompressed tar file (oci-archive, docker-archive) by reading only its headers.
 * Truncation, bad checksums and bad sizes are IMG_ARCHIVE_CORRUPT naming the file and offset.
 *
 * @example
 * const idx = await indexTarFile('bookworm-docker.tar', 'docker-archive:bookworm-docker.tar');
 * idx.members.get('manifest.json');
 */
export async function indexTarFile(path: string, what: string): Promise<TarIndex> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw new AppError('IMG_INPUT_NOT_FOUND', `${what}: cannot open ${path} (${(e as Error).message})`, { cause: e, details: { path } });
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new AppError('IMG_INPUT_NOT_FOUND', `${what}: ${path} is not a regular file`, { details: { path } });
    const fileSize = st.size;
    const members = new Map<string, TarMember>();
    const header = Buffer.alloc(BLOCK);
    let pos = 0;
    let longName: string | undefined;
    let longLink: string | undefined;
    let pax: Record<string, string> = {};
    const corrupt = (why: string) =>
      new AppError('IMG_ARCHIVE_CORRUPT', `${what}: ${why} at offset ${pos}`, { details: { path, offset: pos } });
    const readData = async (size: number, at: number) => {
      if (size > 1 << 20) throw corrupt('extended header larger than 1 MiB');
      const b = Buffer.alloc(size);
      const { bytesRead } = await fh.read(b, 0, size, at);
      if (bytesRead !== size) throw corrupt('truncated extended header');
      return b;
    };
    for (;;) {
      const { bytesRead } = await fh.read(header, 0, BLOCK, pos);
      if (bytesRead === 0 && members.size > 0) break; // archive without end-of-archive blocks
      if (bytesRead !== BLOCK) throw corrupt('truncated tar header');
      if (header.every((b) => b === 0)) break;
      if (!checksumOk(header)) throw corrupt('bad tar header checksum');
      const size = parseOctal(header, 124, 12);
      if (!Number.isFinite(size) || size < 0) throw corrupt('bad size field');
      const dataAt = pos + BLOCK;
      if (dataAt + size > fileSize) throw corrupt(`member data runs past the end of the file (${fileSize} bytes)`);
      const flag = String.fromCharCode(header[156]!);
      const next = dataAt + Math.ceil(size / BLOCK) * BLOCK;
      if (flag === 'x') {
        pax = parsePax(await readData(size, dataAt));
      } else if (flag === 'L') {
        longName = cstr(await readData(size, dataAt), 0, size);
      } else if (flag === 'K') {
        longLink = cstr(await readData(size, dataAt), 0, size);
      } else if (flag === 'g') {
        // global pax header: nothing Vigil needs
      } else {
        const ustar = header.toString('latin1', 257, 262) === 'ustar';
        const prefix = ustar ? cstr(header, 345, 155) : '';
        const base = cstr(header, 0, 100);
        const rawName = pax.path ?? longName ?? (prefix ? `${prefix}/${base}` : base);
        const link = pax.linkpath ?? longLink ?? cstr(header, 157, 100);
        const realSize = pax.size !== undefined ? Number(pax.size) : size;
        const type: TarMember['type'] =
          flag === '0' || flag === '\0' || flag === '7' ? 'file' : flag === '2' ? 'symlink' : flag === '1' ? 'link' : flag === '5' ? 'directory' : 'other';
        const name = normalizeArchiveName(rawName);
        if (name !== '' && !name.startsWith('..')) {
          members.set(name, { name, type, offset: dataAt, size: Number.isFinite(realSize) ? Math.min(realSize, size) : size, ...(type === 'symlink' || type === 'link' ? { linkname: link } : {}) });
        }
        if (members.size > MAX_MEMBERS) throw corrupt(`more than ${MAX_MEMBERS} members`);
        pax = {};
        longName = undefined;
        longLink = undefined;
      }
      pos = next;
    }
    const resolve = (name: string): TarMember | undefined => {
      let cur = members.get(normalizeArchiveName(name));
      for (let hops = 0; cur !== undefined && hops < 16; hops++) {
        if (cur.type === 'file') return cur;
        if (cur.type === 'symlink') cur = members.get(normalizeArchiveName(posix.join(posix.dirname(cur.name), cur.linkname ?? '')));
        else if (cur.type === 'link') cur = members.get(normalizeArchiveName(cur.linkname ?? ''));
        else return undefined;
      }
      return undefined;
    };
    return {
      path,
      members,
      fh,
      resolve,
      async read(member, max, w) {
        if (member.size > max) {
          throw new AppError('IMG_MANIFEST_INVALID', `${w}: ${member.name} is ${member.size} bytes, more than the ${max} allowed`, { details: { path, member: member.name } });
        }
        const b = Buffer.alloc(member.size);
        const { bytesRead } = await fh.read(b, 0, member.size, member.offset);
        if (bytesRead !== member.size) throw new AppError('IMG_ARCHIVE_CORRUPT', `${w}: ${member.name} is truncated`, { details: { path } });
        return b;
      },
      close: () => fh.close(),
    };
  } catch (e) {
    await fh.close();
    throw e;
  }
}
