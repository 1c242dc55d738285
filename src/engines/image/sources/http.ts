/**
 * Downloads for `vigil db update`: one GET per URL into a private directory, conditional on the
 * previous ETag / Last-Modified so an unchanged feed costs one round trip. Every failure names the URL.
 */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError, isAbortError } from '../../../core/errors.js';

export interface Validators {
  readonly etag?: string;
  readonly lastModified?: string;
}

export type DownloadResult = { readonly status: 'unchanged' } | { readonly status: 'ok'; readonly validators: Validators; readonly bytes: number };

/**
 * GETs `url` into `dest`; `unchanged` when the server answers 304 to the validators.
 *
 * @example await download('https://secdb.alpinelinux.org/v3.20/main.json', '/tmp/x/main.json', {}, signal)
 */
export async function download(url: string, dest: string, validators: Validators, signal?: AbortSignal): Promise<DownloadResult> {
  const headers: Record<string, string> = { 'user-agent': 'vigil-db-update' };
  if (validators.etag) headers['if-none-match'] = validators.etag;
  if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
  let res: Response;
  try {
    res = await fetch(url, { headers, signal, redirect: 'follow' });
  } catch (e) {
    if (isAbortError(e)) throw e;
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new AppError('IMG_FEED_FETCH', `cannot fetch ${url}: ${cause?.code ?? cause?.message ?? (e as Error).message}`, { cause: e, details: { url } });
  }
  if (res.status === 304) return { status: 'unchanged' };
  if (!res.ok || res.body === null) {
    throw new AppError('IMG_FEED_FETCH', `cannot fetch ${url}: HTTP ${res.status} ${res.statusText}`, { details: { url, status: res.status } });
  }
  let bytes = 0;
  try {
    const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
    body.on('data', (c: Buffer) => (bytes += c.length));
    await pipeline(body, createWriteStream(dest), { signal });
  } catch (e) {
    if (isAbortError(e)) throw e;
    throw new AppError('IMG_FEED_FETCH', `download of ${url} failed after ${bytes} bytes: ${(e as Error).message}`, { cause: e, details: { url } });
  }
  const etag = res.headers.get('etag') ?? undefined;
  const lastModified = res.headers.get('last-modified') ?? undefined;
  return { status: 'ok', validators: { ...(etag && { etag }), ...(lastModified && { lastModified }) }, bytes };
}

/** Joins a base URL (public or overridden) and a path. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
