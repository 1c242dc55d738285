/**
 * A per-packet HTTP/1.x inspector: when a packet's payload starts an HTTP request or response, it
 * fills Snort's HTTP buffers (http_method, http_uri, http_raw_uri, http_header, http_raw_header,
 * http_cookie, http_host, http_user_agent, http_client_body, http_stat_code, http_stat_msg,
 * file_data...) from that packet, on any port, and marks the flow's service as `http`.
 *
 * Scope (part 1): it sees one packet at a time — no TCP reassembly, so a request split over several
 * segments only has the buffers its first segment holds, and a body is what that segment carries
 * (gzip/deflate bodies are inflated as far as the segment goes; chunked bodies are de-chunked).
 * Issue 6's stream stage will hand it whole PDUs instead.
 *
 * URI normalisation follows Snort's http_inspect defaults: %XX and %uXXXX decoding, backslash to
 * slash, `/./` removed, `/../` resolved, repeated slashes collapsed (path only; the query is
 * percent-decoded).
 */
import { inflateRawSync, inflateSync, gunzipSync, constants as zlibConstants } from 'node:zlib';
import type { Packet } from '../types.js';

/** Where the inspector puts buffers (the pipeline's PacketBuffers). */
export interface BufferSink {
  set(name: string, data: Uint8Array): void;
}

const METHODS = new Set(['GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'PATCH', 'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'SEARCH', 'SUBSCRIBE', 'NOTIFY', 'M-SEARCH']);

/** Largest decompressed body kept per packet. */
const MAX_BODY = 1 << 20;

/** Counters for stats and tests. */
export interface HttpInspectorCounters {
  requests: number;
  responses: number;
  decompressed: number;
  decompressErrors: number;
}

/**
 * Fills HTTP buffers for packets that begin an HTTP message.
 *
 * @example
 * const http = new HttpInspector();
 * http.onPacket(pkt, buffers); // buffers.get('http_uri') is then the normalised URI
 */
export class HttpInspector {
  readonly name = 'inspect';
  readonly counters: HttpInspectorCounters = { requests: 0, responses: 0, decompressed: 0, decompressErrors: 0 };

  onPacket(pkt: Packet, buffers: BufferSink): boolean {
    const d = pkt.payload;
    if (pkt.tcp === undefined || d.length < 10) return true;
    const first = d[0]!;
    if (first === 0x48 && d[1] === 0x54 && d[2] === 0x54 && d[3] === 0x50 && d[4] === 0x2f) {
      if (this.response(d, buffers)) {
        this.counters.responses++;
        if (pkt.flow !== undefined) pkt.flow.service ??= 'http';
      }
    } else if (first >= 0x41 && first <= 0x5a) {
      if (this.request(d, buffers)) {
        this.counters.requests++;
        if (pkt.flow !== undefined) pkt.flow.service ??= 'http';
      }
    }
    return true;
  }

  private request(d: Uint8Array, buffers: BufferSink): boolean {
    const lineEnd = indexOfCrlf(d, 0);
    const line = lineEnd < 0 ? d : d.subarray(0, lineEnd);
    const sp1 = line.indexOf(0x20);
    if (sp1 <= 0) return false;
    const method = latin1(line.subarray(0, sp1));
    if (!METHODS.has(method)) return false;
    let sp2 = line.lastIndexOf(0x20);
    if (sp2 <= sp1) sp2 = line.length;
    const proto = line.subarray(sp2 + 1);
    if (sp2 < line.length && !startsWith(proto, 'HTTP/')) return false;
    const rawUri = line.subarray(sp1 + 1, sp2);
    buffers.set('http_method', line.subarray(0, sp1));
    buffers.set('http_raw_uri', rawUri);
    buffers.set('http_uri', normaliseUri(rawUri));
    buffers.set('http_request_line', line);
    if (sp2 < line.length) buffers.set('http_protocol', proto);
    if (lineEnd < 0) return true;
    const body = this.headers(d, lineEnd + 2, buffers, true);
    if (body !== undefined && body.length > 0) buffers.set('http_client_body', body);
    return true;
  }

  private response(d: Uint8Array, buffers: BufferSink): boolean {
    const lineEnd = indexOfCrlf(d, 0);
    const line = lineEnd < 0 ? d : d.subarray(0, lineEnd);
    const sp1 = line.indexOf(0x20);
    if (sp1 < 0 || line.length < sp1 + 4) return false;
    const code = line.subarray(sp1 + 1, sp1 + 4);
    if (!code.every((c) => c >= 0x30 && c <= 0x39)) return false;
    buffers.set('http_protocol', line.subarray(0, sp1));
    buffers.set('http_stat_code', code);
    buffers.set('http_stat_msg', line.subarray(Math.min(line.length, sp1 + 5)));
    buffers.set('http_response_line', line);
    if (lineEnd < 0) return true;
    const body = this.headers(d, lineEnd + 2, buffers, false);
    if (body !== undefined && body.length > 0) buffers.set('file_data', body);
    return true;
  }

  /** Parses the header block from `start`; sets header buffers; returns the (decoded) body, if any. */
  private headers(d: Uint8Array, start: number, buffers: BufferSink, isRequest: boolean): Uint8Array | undefined {
    let end = indexOfSeq(d, start, CRLFCRLF);
    const complete = end >= 0;
    if (!complete) end = d.length;
    const raw = d.subarray(start, complete ? end + 2 : end);
    buffers.set('http_raw_header', raw);
    buffers.set('http_header', raw);
    let encoding = '';
    let chunked = false;
    const cookies: Uint8Array[] = [];
    let pos = start;
    while (pos < end) {
      let eol = indexOfCrlf(d, pos);
      if (eol < 0 || eol > end) eol = end;
      const colon = d.subarray(pos, eol).indexOf(0x3a);
      if (colon > 0) {
        const name = latin1(d.subarray(pos, pos + colon)).trim().toLowerCase();
        let vs = pos + colon + 1;
        while (vs < eol && (d[vs] === 0x20 || d[vs] === 0x09)) vs++;
        const value = d.subarray(vs, eol);
        const target = HEADER_BUFFERS[name];
        if (target !== undefined) buffers.set(target, value);
        if (name === 'cookie' && isRequest) cookies.push(value);
        else if (name === 'set-cookie' && !isRequest) cookies.push(value);
        else if (name === 'content-encoding') encoding = latin1(value).trim().toLowerCase();
        else if (name === 'transfer-encoding') chunked = latin1(value).toLowerCase().includes('chunked');
      }
      pos = eol + 2;
    }
    if (cookies.length > 0) {
      const joined = cookies.length === 1 ? cookies[0]! : Buffer.concat(cookies);
      buffers.set('http_cookie', joined);
      buffers.set('http_raw_cookie', joined);
    }
    if (!complete) return undefined;
    let body: Uint8Array = d.subarray(end + 4);
    if (body.length === 0) return undefined;
    if (chunked) body = dechunk(body);
    if (encoding === 'gzip' || encoding === 'x-gzip' || encoding === 'deflate') {
      const inflated = inflatePartial(body, encoding);
      if (inflated !== undefined) {
        this.counters.decompressed++;
        body = inflated;
      } else this.counters.decompressErrors++;
    }
    return body;
  }
}

const HEADER_BUFFERS: Readonly<Record<string, string>> = {
  host: 'http_host',
  'user-agent': 'http_user_agent',
  referer: 'http_referer',
  'content-type': 'http_content_type',
  'content-length': 'http_content_len',
  accept: 'http_accept',
  'accept-encoding': 'http_accept_enc',
  'accept-language': 'http_accept_lang',
  connection: 'http_connection',
  location: 'http_location',
  server: 'http_server',
};

const CRLFCRLF = Uint8Array.of(13, 10, 13, 10);

function latin1(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
}

function startsWith(b: Uint8Array, s: string): boolean {
  if (b.length < s.length) return false;
  for (let i = 0; i < s.length; i++) if (b[i] !== s.charCodeAt(i)) return false;
  return true;
}

function indexOfCrlf(d: Uint8Array, from: number): number {
  for (let i = from; i + 1 < d.length; i++) if (d[i] === 13 && d[i + 1] === 10) return i;
  return -1;
}

function indexOfSeq(d: Uint8Array, from: number, seq: Uint8Array): number {
  return Buffer.from(d.buffer, d.byteOffset, d.byteLength).indexOf(seq, from);
}

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * Snort-style URI normalisation (see the file comment).
 *
 * @example
 * latin1(normaliseUri(Buffer.from('/a/./b/../%63md.exe'))) // '/a/cmd.exe'
 */
export function normaliseUri(raw: Uint8Array): Uint8Array {
  const out: number[] = [];
  let inQuery = false;
  for (let i = 0; i < raw.length; i++) {
    let c = raw[i]!;
    if (c === 0x25 /* % */) {
      if ((raw[i + 1] === 0x75 || raw[i + 1] === 0x55) && i + 5 < raw.length) {
        const v = (hexVal(raw[i + 2]!) << 12) | (hexVal(raw[i + 3]!) << 8) | (hexVal(raw[i + 4]!) << 4) | hexVal(raw[i + 5]!);
        if (v >= 0 && hexVal(raw[i + 2]!) >= 0 && hexVal(raw[i + 3]!) >= 0 && hexVal(raw[i + 4]!) >= 0 && hexVal(raw[i + 5]!) >= 0) {
          c = v & 0xff;
          i += 5;
        }
      } else if (i + 2 < raw.length) {
        const h = hexVal(raw[i + 1]!);
        const l = hexVal(raw[i + 2]!);
        if (h >= 0 && l >= 0) {
          c = (h << 4) | l;
          i += 2;
        }
      }
    } else if (c === 0x3f /* ? */ && !inQuery) {
      inQuery = true;
    }
    if (!inQuery && c === 0x5c) c = 0x2f;
    out.push(c);
  }
  const text = Buffer.from(out);
  const q = inQuery ? text.indexOf(0x3f) : -1;
  const path = q >= 0 ? text.subarray(0, q) : text;
  const rest = q >= 0 ? text.subarray(q) : Buffer.alloc(0);
  return Buffer.concat([normalisePath(path), rest]);
}

function normalisePath(path: Buffer): Buffer {
  const s = path.toString('latin1');
  if (!/\/\/|\/\.\.?(\/|$)/.test(s)) return path;
  const parts = s.split('/');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p === '.' || (p === '' && i > 0 && i < parts.length - 1)) continue;
    if (p === '..') {
      if (out.length > 1) out.pop();
      continue;
    }
    out.push(p);
  }
  let r = out.join('/');
  if (s.endsWith('/') && !r.endsWith('/')) r += '/';
  return Buffer.from(r, 'latin1');
}

/** Removes chunk-size lines of a chunked body (as far as the packet goes). */
function dechunk(body: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let pos = 0;
  while (pos < body.length) {
    const eol = indexOfCrlf(body, pos);
    if (eol < 0) break;
    const size = parseInt(latin1(body.subarray(pos, eol)).split(';')[0]!.trim(), 16);
    if (!Number.isFinite(size) || size < 0) return body;
    if (size === 0) break;
    const start = eol + 2;
    parts.push(body.subarray(start, Math.min(body.length, start + size)));
    pos = start + size + 2;
  }
  return parts.length === 0 ? body : Buffer.concat(parts);
}

/** Inflates a gzip/deflate body that may be cut short; undefined when it is not compressed data. */
function inflatePartial(body: Uint8Array, encoding: string): Uint8Array | undefined {
  const opts = { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: MAX_BODY };
  try {
    if (encoding === 'deflate') {
      try {
        return inflateSync(body, opts);
      } catch {
        // Servers often send raw deflate under "deflate"; try that before giving up.
        return inflateRawSync(body, opts);
      }
    }
    return gunzipSync(body, opts);
  } catch {
    return undefined;
  }
}
