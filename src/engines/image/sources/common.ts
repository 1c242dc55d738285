/** Helpers shared by the source parsers: defensive accessors for untrusted JSON. */
import type { FetchedBody, FetchOptions, ParseItem, Unchanged, VulnSource } from './types.js';
import { UNCHANGED } from './types.js';
import { download, joinUrl, type Validators } from './http.js';
import { readFeedPath } from './read.js';
import type { OperationOptions } from '../../../core/abort.js';
import { basename } from 'node:path';

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}
export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
export function strings(v: unknown): string[] {
  return arr(v).filter((x): x is string => typeof x === 'string' && x.length > 0);
}

/**
 * Fetches a list of paths under a base URL into the private directory, keeping one validator set
 * per URL in the fingerprint. UNCHANGED only when every URL answered 304.
 */
export async function fetchAll(base: string, paths: readonly string[], fingerprint: string | undefined, options: FetchOptions): Promise<FetchedBody | Unchanged> {
  let previous: Record<string, Validators> = {};
  try {
    previous = fingerprint ? (JSON.parse(fingerprint) as Record<string, Validators>) : {};
  } catch {
    previous = {};
  }
  const next: Record<string, Validators> = {};
  const files: string[] = [];
  const urls: string[] = [];
  let changed = false;
  let i = 0;
  for (const p of paths) {
    const url = joinUrl(base, p);
    urls.push(url);
    const dest = `${options.dir}/${String(i++).padStart(3, '0')}-${basename(p.split('?')[0]!) || 'feed.json'}`;
    options.onProgress?.({ phase: 'download', done: i - 1, total: paths.length, unit: 'files', detail: url });
    const r = await download(url, dest, previous[url] ?? {}, options.signal);
    if (r.status === 'unchanged') {
      next[url] = previous[url] ?? {};
      continue;
    }
    changed = true;
    next[url] = r.validators;
    files.push(dest);
  }
  if (!changed) return UNCHANGED;
  return { files, fingerprint: JSON.stringify(next), urls };
}

/** The parse step every source shares: read the files, hand each document to parseDocument. */
export async function* parseFiles(source: VulnSource, body: FetchedBody, options: OperationOptions = {}): AsyncGenerator<ParseItem> {
  for (const file of body.files) {
    for await (const item of readFeedPath(file)) {
      options.signal?.throwIfAborted();
      if (item.kind === 'problem') {
        yield item;
        continue;
      }
      if (!source.accepts(item.document.doc)) {
        yield { kind: 'problem', origin: item.document.origin, message: `not a ${source.name} document; skipped` };
        continue;
      }
      yield* source.parseDocument(item.document.doc, item.document.origin);
    }
  }
}
