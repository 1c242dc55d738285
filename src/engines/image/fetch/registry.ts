import { Readable, pipeline } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { AppError } from '../../../core/errors.js';
import { createDigestVerifier, digestOf, parseDigest, verifyBytes } from './digest.js';
import { MANIFEST_ACCEPT, MAX_JSON_BYTES, type PlatformSpec } from './manifest.js';
import { resolveToManifest, sourceFromManifest, type BlobStore, type ImageSource } from './source.js';

/** A `docker://` reference, parsed. */
export interface RegistryRef {
  readonly host: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

const HEADERS_TIMEOUT_MS = 30_000;

/** Docker Hub's API host differs from its name. */
function apiHost(host: string): string {
  return host === 'docker.io' || host === 'index.docker.io' ? 'registry-1.docker.io' : host;
}

function isLoopback(host: string): boolean {
  const h = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\./.test(h);
}

/** Parses a WWW-Authenticate challenge: `Bearer realm="...",service="...",scope="..."`. */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const m = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!m) return { scheme: '', params: {} };
  const params: Record<string, string> = {};
  const re = /(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (let r = re.exec(m[2]!); r; r = re.exec(m[2]!)) params[r[1]!.toLowerCase()] = (r[2] ?? r[3] ?? '').replace(/\\(.)/g, '$1');
  return { scheme: m[1]!.toLowerCase(), params };
}

async function readBody(res: Response, max: number, what: string): Promise<Buffer> {
  const len = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(len) && len > max) {
    await res.body?.cancel();
    throw new AppError('IMG_MANIFEST_INVALID', `${what}: ${len} bytes, more than the ${max} allowed`, { details: { what } });
  }
  const chunks: Buffer[] = [];
  let total = 0;
  if (res.body) {
    for await (const c of res.body as unknown as AsyncIterable<Uint8Array>) {
      total += c.length;
      if (total > max) {
        await res.body.cancel().catch(() => undefined);
        throw new AppError('IMG_MANIFEST_INVALID', `${what}: more than the ${max} bytes allowed`, { details: { what } });
      }
      chunks.push(Buffer.from(c));
    }
  }
  return Buffer.concat(chunks);
}

/**
 * A minimal Registry HTTP API v2 client: anonymous bearer-token auth from the WWW-Authenticate
 * challenge, manifests by tag or digest, blobs streamed and verified.
 */
export class RegistryClient {
  private token: string | undefined;
  readonly base: string;

  constructor(
    readonly ref: RegistryRef,
    readonly options: { insecure?: boolean; signal?: AbortSignal } = {},
  ) {
    const scheme = options.insecure || isLoopback(ref.host) ? 'http' : 'https';
    this.base = `${scheme}://${apiHost(ref.host)}/v2/${ref.repository}`;
  }

  private label(): string {
    return `docker://${this.ref.host}/${this.ref.repository}`;
  }

  private async request(url: string, accept: string[] | undefined, what: string, retried = false): Promise<Response> {
    const headers: Record<string, string> = { 'user-agent': 'vigil' };
    if (accept) headers.accept = accept.join(', ');
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    // The timeout covers connecting and the response headers only: a fetch signal also governs
    // the body, and a large layer may take longer than any fixed bound to download.
    const headersTimeout = new AbortController();
    const timer = setTimeout(() => headersTimeout.abort(new Error(`no response within ${HEADERS_TIMEOUT_MS / 1000} s`)), HEADERS_TIMEOUT_MS);
    const signal = this.options.signal ? AbortSignal.any([this.options.signal, headersTimeout.signal]) : headersTimeout.signal;
    let res: Response;
    try {
      res = await fetch(url, { headers, signal, redirect: 'follow' });
    } catch (e) {
      if (this.options.signal?.aborted) throw e;
      const cause = (e as { cause?: { message?: string } }).cause?.message ?? (e as Error).message;
      throw new AppError('IMG_REGISTRY_UNREACHABLE', `${what}: cannot reach ${url} (${cause})`, { cause: e, details: { url } });
    } finally {
      clearTimeout(timer);
    }
    if (res.status === 401 && !retried) {
      const challenge = res.headers.get('www-authenticate');
      await res.body?.cancel();
      if (challenge) {
        await this.authenticate(challenge, what);
        return this.request(url, accept, what, true);
      }
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw new AppError('IMG_REGISTRY_AUTH', `${what}: ${url} answered ${res.status}; anonymous pull is not allowed`, { details: { url, status: res.status } });
    }
    if (res.status === 404) {
      await res.body?.cancel();
      throw new AppError('IMG_REGISTRY_NOT_FOUND', `${what}: ${url} not found (404)`, { details: { url } });
    }
    if (!res.ok) {
      const body = (await res.text().catch(() => '')).slice(0, 200);
      throw new AppError('IMG_REGISTRY_UNREACHABLE', `${what}: ${url} answered ${res.status} ${body}`, { details: { url, status: res.status } });
    }
    return res;
  }

  /** Answers a Bearer challenge with an anonymous token request (Docker token authentication spec). */
  private async authenticate(header: string, what: string): Promise<void> {
    const { scheme, params } = parseChallenge(header);
    if (scheme !== 'bearer' || !params.realm) {
      throw new AppError('IMG_REGISTRY_AUTH', `${what}: the registry asks for ${scheme || 'unknown'} authentication; only anonymous bearer tokens are supported`, {
        details: { challenge: header },
      });
    }
    let url: URL;
    try {
      url = new URL(params.realm);
    } catch (e) {
      throw new AppError('IMG_REGISTRY_PROTOCOL', `${what}: token realm ${JSON.stringify(params.realm)} is not a URL`, { cause: e });
    }
    if (params.service) url.searchParams.set('service', params.service);
    url.searchParams.set('scope', params.scope ?? `repository:${this.ref.repository}:pull`);
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(HEADERS_TIMEOUT_MS) });
    } catch (e) {
      throw new AppError('IMG_REGISTRY_UNREACHABLE', `${what}: token server ${url.origin} unreachable (${(e as Error).message})`, { cause: e });
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new AppError('IMG_REGISTRY_AUTH', `${what}: token server ${url.origin} answered ${res.status}`, { details: { status: res.status } });
    }
    const body = await readBody(res, 1 << 20, `${what}: token response`);
    let token: unknown;
    try {
      const j = JSON.parse(body.toString('utf8')) as { token?: unknown; access_token?: unknown };
      token = j.token ?? j.access_token;
    } catch (e) {
      throw new AppError('IMG_REGISTRY_PROTOCOL', `${what}: token response is not JSON`, { cause: e });
    }
    if (typeof token !== 'string' || token.length === 0) {
      throw new AppError('IMG_REGISTRY_PROTOCOL', `${what}: token response has no token`, {});
    }
    this.token = token;
  }

  /** GETs a manifest by tag or digest; verifies its digest (against the reference or Docker-Content-Digest). */
  async getManifest(reference: string, what = this.label()): Promise<{ bytes: Buffer; mediaType: string | undefined; digest: string }> {
    const res = await this.request(`${this.base}/manifests/${reference}`, MANIFEST_ACCEPT, what);
    const bytes = await readBody(res, MAX_JSON_BYTES, `${what}: manifest ${reference}`);
    const mediaType = res.headers.get('content-type')?.split(';')[0]?.trim();
    const header = res.headers.get('docker-content-digest') ?? undefined;
    let digest: string;
    if (reference.includes(':')) {
      verifyBytes(bytes, reference, undefined, `${what}: manifest ${reference}`);
      digest = reference;
    } else if (header !== undefined) {
      parseDigest(header, `${what}: Docker-Content-Digest`);
      verifyBytes(bytes, header, undefined, `${what}: manifest ${reference}`);
      digest = header;
    } else {
      digest = digestOf(bytes);
    }
    return { bytes, mediaType, digest };
  }

  /** A BlobStore over this repository. */
  store(): BlobStore {
    return {
      readManifest: async (digest, size, what) => {
        const m = await this.getManifest(digest, what);
        verifyBytes(m.bytes, digest, size, what);
        return m.bytes;
      },
      readBlob: async (digest, size, what) => {
        const res = await this.request(`${this.base}/blobs/${digest}`, undefined, what);
        const bytes = await readBody(res, MAX_JSON_BYTES, what);
        verifyBytes(bytes, digest, size, what);
        return bytes;
      },
      openBlob: async (digest, size, what, signal) => {
        parseDigest(digest, what);
        const res = await this.request(`${this.base}/blobs/${digest}`, undefined, what);
        if (!res.body) throw new AppError('IMG_REGISTRY_PROTOCOL', `${what}: empty blob response`);
        const src = Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>, signal ? { signal } : {});
        return pipeline(src, createDigestVerifier(digest, size, what), () => undefined) as unknown as Readable;
      },
    };
  }
}

/**
 * Opens `docker://HOST/REPO[:TAG|@DIGEST]` over the Registry HTTP API v2. Manifest lists and OCI
 * indexes are resolved with `platform` (default: the only image, else the host's platform).
 *
 * @example
 * const src = await openRegistryImage({ host: '127.0.0.1:5000', repository: 'test', tag: '1' }, 'docker://127.0.0.1:5000/test:1', {});
 */
export async function openRegistryImage(
  ref: RegistryRef,
  reference: string,
  options: { platform?: PlatformSpec; insecure?: boolean; signal?: AbortSignal },
): Promise<ImageSource> {
  const client = new RegistryClient(ref, options);
  const top = await client.getManifest(ref.digest ?? ref.tag ?? 'latest', reference);
  const store = client.store();
  const m = await resolveToManifest(store, top.bytes, top.mediaType, top.digest, options.platform, reference, options.signal);
  return sourceFromManifest(store, reference, m.bytes, m.digest, reference, async () => undefined, options.signal);
}
