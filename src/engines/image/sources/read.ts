/**
 * Reads feed files of every shape the feeds come in: `.json`, `.jsonl` (one record a line),
 * `.gz` of either, `.zip` archives of JSON files (OSV's all.zip), `.tar` (Ubuntu's VEX, unpacked) and `.tar.zst` (Red Hat's VEX
 * archive) and folders of any of these. Yields JSON documents with their origin; a document that
 * does not parse is reported as a problem and the rest go on.
 */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import yauzl from 'yauzl';
import { AppError } from '../../../core/errors.js';
import type { FeedDocument } from './types.js';

/** Largest single JSON document (file, line or archive member) we parse. */
export const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;

export type ReadItem = { readonly kind: 'document'; readonly document: FeedDocument } | { readonly kind: 'problem'; readonly origin: string; readonly message: string };

function parseJson(text: string, origin: string): ReadItem {
  try {
    return { kind: 'document', document: { origin, doc: JSON.parse(text) as unknown } };
  } catch (e) {
    return { kind: 'problem', origin, message: `not valid JSON: ${(e as Error).message}` };
  }
}

/**
 * Fails a stream whose current line grows past the document limit: readline would otherwise buffer
 * a newline-free decompression bomb until memory runs out.
 */
function lineLimit(stream: NodeJS.ReadableStream, origin: string): NodeJS.ReadableStream {
  let sinceNewline = 0;
  const guard = new Transform({
    transform(chunk: Buffer, _enc, done) {
      const nl = chunk.lastIndexOf(10);
      sinceNewline = nl >= 0 ? chunk.length - nl - 1 : sinceNewline + chunk.length;
      if (sinceNewline > MAX_DOCUMENT_BYTES) {
        done(new AppError('IMG_FEED_INVALID', `${origin}: a line longer than ${MAX_DOCUMENT_BYTES} bytes; not a JSON-lines feed`, { details: { file: origin } }));
        return;
      }
      done(null, chunk);
    },
  });
  stream.on('error', (e) => guard.destroy(e));
  return stream.pipe(guard);
}

async function* readLines(source: NodeJS.ReadableStream, origin: string): AsyncGenerator<ReadItem> {
  const stream = lineLimit(source, origin);
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of rl) {
      n++;
      if (line.trim().length === 0) continue;
      if (line.length > MAX_DOCUMENT_BYTES) {
        yield { kind: 'problem', origin: `${origin}:${n}`, message: 'line too long' };
        continue;
      }
      yield parseJson(line, `${origin}:${n}`);
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('IMG_FEED_INVALID', `${origin}: cannot read past line ${n}: ${(e as Error).message}`, { cause: e, details: { file: origin, line: n } });
  }
}

async function readAll(stream: AsyncIterable<unknown>, origin: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const c = chunk as Buffer;
      size += c.length;
      if (size > MAX_DOCUMENT_BYTES) throw new AppError('IMG_FEED_INVALID', `${origin}: larger than ${MAX_DOCUMENT_BYTES} bytes once decompressed; not a feed file`, { details: { file: origin } });
      chunks.push(c);
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('IMG_FEED_INVALID', `${origin}: cannot read: ${(e as Error).message}`, { cause: e, details: { file: origin } });
  }
  return Buffer.concat(chunks);
}

/** Reads one stream whose name tells its shape (after removing `.gz`). */
async function* readNamed(name: string, open: () => NodeJS.ReadableStream, origin: string): AsyncGenerator<ReadItem> {
  if (name.endsWith('.gz')) {
    const inner = name.slice(0, -3);
    yield* readNamed(inner, () => {
      const gunzip = createGunzip();
      const src = open();
      src.on('error', (e) => gunzip.destroy(e));
      return src.pipe(gunzip);
    }, origin);
    return;
  }
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) {
    yield* readLines(open(), origin);
    return;
  }
  if (name.endsWith('.json')) {
    const buf = await readAll(open(), origin);
    yield parseJson(buf.toString('utf8'), origin);
    return;
  }
  yield { kind: 'problem', origin, message: 'not a feed file (expected .json, .jsonl, .gz, .zip, .tar, .tar.zst or a folder); skipped' };
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true }, (err, zip) => (err ? reject(err) : resolve(zip)));
  });
}

async function* readZip(path: string): AsyncGenerator<ReadItem> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(path);
  } catch (e) {
    throw new AppError('IMG_FEED_INVALID', `${path}: not a readable zip archive: ${(e as Error).message}`, { cause: e, details: { file: path } });
  }
  const entries: yauzl.Entry[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (e: yauzl.Entry) => {
      entries.push(e);
      zip.readEntry();
    });
    zip.on('end', () => resolve());
    zip.on('error', (e: Error) => reject(new AppError('IMG_FEED_INVALID', `${path}: damaged zip archive: ${e.message}`, { cause: e, details: { file: path } })));
    zip.readEntry();
  });
  // autoClose closed it after the listing; reopen to read members in order
  const reader = await openZip(path).catch((e: Error) => {
    throw new AppError('IMG_FEED_INVALID', `${path}: cannot reopen zip archive: ${e.message}`, { cause: e });
  });
  reader.autoClose = false;
  try {
    for (const entry of entries) {
      if (entry.fileName.endsWith('/')) continue;
      const origin = `${path}!${entry.fileName}`;
      if (entry.uncompressedSize > MAX_DOCUMENT_BYTES) {
        yield { kind: 'problem', origin, message: `member of ${entry.uncompressedSize} bytes is too large; skipped` };
        continue;
      }
      let stream: Readable;
      try {
        stream = await new Promise<Readable>((resolve, reject) => reader.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s))));
      } catch (e) {
        yield { kind: 'problem', origin, message: `cannot read member: ${(e as Error).message}` };
        continue;
      }
      try {
        yield* readNamed(entry.fileName, () => stream, origin);
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        yield { kind: 'problem', origin, message: e.message };
      }
    }
  } finally {
    reader.close();
  }
}

async function* readTarZst(path: string): AsyncGenerator<ReadItem> {
  const { Decompress } = await import('fzstd');
  const tar = await import('tar-stream');
  const extract = tar.extract({});
  const plain = path.endsWith('.tar');
  const pending: Uint8Array[] = [];
  const dec = new Decompress((chunk) => {
    pending.push(chunk);
  });
  const src = createReadStream(path);
  // Feed the tar parser with backpressure: the VEX archive is gigabytes once decompressed.
  const write = async (buf: Buffer): Promise<void> => {
    if (!extract.write(buf)) await new Promise<void>((resolve) => extract.once('drain', () => resolve()));
  };
  void (async () => {
    try {
      for await (const c of src) {
        if (plain) pending.push(c as Buffer);
        else dec.push(new Uint8Array(c as Buffer));
        while (pending.length > 0) await write(Buffer.from(pending.shift()!));
      }
      if (!plain) dec.push(new Uint8Array(0), true);
      while (pending.length > 0) await write(Buffer.from(pending.shift()!));
      (extract as unknown as { end(): void }).end();
    } catch (e) {
      extract.destroy(new AppError('IMG_FEED_INVALID', `${path}: damaged ${plain ? 'tar' : 'zstd'} stream: ${(e as Error).message}`, { cause: e }));
    }
  })();
  try {
    for await (const entry of extract) {
      const origin = `${path}!${entry.header.name}`;
      if (entry.header.type !== 'file' || !entry.header.name.endsWith('.json')) {
        entry.resume();
        continue;
      }
      const buf = await readAll(entry, origin);
      yield parseJson(buf.toString('utf8'), origin);
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('IMG_FEED_INVALID', `${path}: damaged tar archive: ${(e as Error).message}`, { cause: e, details: { file: path } });
  }
}

/**
 * Reads every JSON document under a path (file or folder, recursively, sorted by name).
 *
 * @example
 * for await (const item of readFeedPath('osv-debian12.jsonl.gz')) if (item.kind === 'document') use(item.document);
 */
export async function* readFeedPath(path: string): AsyncGenerator<ReadItem> {
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    throw new AppError('IMG_FEED_NOT_FOUND', `${path}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e, details: { file: path } });
  }
  if (st.isDirectory()) {
    const names = (await readdir(path)).sort();
    for (const n of names) {
      const p = join(path, n);
      const s = await stat(p).catch(() => undefined);
      if (s?.isDirectory() || /\.(json|jsonl|ndjson|gz|zip|zst|tar)$/.test(n)) yield* readFeedPath(p);
    }
    return;
  }
  if (path.endsWith('.zip')) return yield* readZip(path);
  if (path.endsWith('.tar.zst') || path.endsWith('.tar')) return yield* readTarZst(path);
  if (path.endsWith('.json') || path.endsWith('.jsonl') || path.endsWith('.ndjson') || path.endsWith('.gz')) {
    return yield* readNamed(path, () => createReadStream(path), path);
  }
  // an extension-less file: sniff JSON-lines vs one document
  const buf = await readAll(createReadStream(path), path);
  const text = buf.toString('utf8');
  const firstNl = text.indexOf('\n');
  if (firstNl > 0 && firstNl < text.trimEnd().length && text.trimStart().startsWith('{') && text.slice(0, firstNl).trim().endsWith('}')) {
    yield* readLines(Readable.from([buf]), path);
  } else {
    yield parseJson(text, path);
  }
}
