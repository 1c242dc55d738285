/**
 * The HTTP/1.x inspector, after Snort 3's http_inspect: it follows each direction of a flow as a
 * sequence of messages and hands detection one unit per message section, so HTTP rules match once per
 * transaction field, not once per packet or PDU:
 *
 *   - the **header section** (start line + header block) is inspected once, when the header block is
 *     complete (CRLF CRLF), however many segments or PDUs it arrived in: a partial block is held (at most
 *     `maxHeaderBytes`, then it is inspected as it stands and counted as truncated) and inspected with
 *     the data that completes it, or when the flow ends;
 *   - each **body section** (the body bytes one PDU carries for the message) is inspected once:
 *     de-chunked and gunzipped/inflated across sections (`http_client_body`, `file_data`), with the
 *     message's header-level buffers still available (Snort makes the URI available to body sections
 *     for rules that combine the two; rules that read no body buffer are not evaluated again there:
 *     units carry `section`, the detector checks it);
 *   - pipelined messages are sections of their own; responses are paired with their requests (HEAD, 1xx,
 *     204, 304 have no body; 101 and a successful CONNECT turn the flow into a tunnel), and the
 *     request's `http_method`, `http_uri` and `http_raw_uri` are available when the response is
 *     inspected, as in Snort 3.
 *
 * A unit's `pkt_data` is its section's raw bytes. The PDU the sections came from is not inspected as a
 * whole (its bytes are all in sections), so a pattern is found once. Data that does not start an HTTP
 * message is left alone: the PDU is inspected as it is. A gap in the sequence numbers ends the message
 * being parsed (the parser resynchronises on the next message start).
 *
 * It runs on every flow whose data looks like HTTP, on any port (the wizard sets the flow's service);
 * flows the wizard gave another service are skipped. Without flow state (a bare packet, as in unit
 * tests) it parses the one packet and fills the buffers of that packet.
 *
 * URI normalisation follows Snort's http_inspect defaults: %XX and %uXXXX decoding, backslash to
 * slash, `/./` removed, `/../` resolved, repeated slashes collapsed (path only; the query is
 * percent-decoded).
 */
import { inflateRawSync, inflateSync, gunzipSync, constants as zlibConstants } from 'node:zlib';
import { PacketRecord, type DecoderEvent, type FlowState, type Packet } from '../types.js';
import { slotsOf, peekSlots } from './flow-slot.js';

/** Where the inspector puts buffers (the pipeline's PacketBuffers). */
export interface BufferSink {
  set(name: string, data: Uint8Array): void;
}

/** The buffers of a unit the inspector hands to detection (structurally the pipeline's PacketBuffers). */
export interface SectionBuffers extends BufferSink {
  reset(payload: Uint8Array): void;
}

/** What the pipeline offers a stage: detection on an extra unit (structurally its StageContext). */
export interface SectionContext {
  detect(unit: Packet, buffers: never): void;
}

/** Snort 3's http_methods (snort_defaults.lua) plus WebDAV / UPnP methods. */
const METHODS = new Set([
  'GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'TRACK', 'CONNECT', 'PATCH', 'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE',
  'LOCK', 'UNLOCK', 'SEARCH', 'SUBSCRIBE', 'UNSUBSCRIBE', 'NOTIFY', 'M-SEARCH', 'POLL', 'BCOPY', 'BDELETE', 'BMOVE', 'LINK', 'UNLINK',
  'SOURCE', 'BPROPFIND', 'BPROPPATCH', 'RPC_CONNECT', 'PROXY_SUCCESS', 'BITS_POST', 'CCM_POST', 'SMS_POST', 'RPC_IN_DATA', 'RPC_OUT_DATA',
  'RPC_ECHO_DATA',
]);

/** METHODS as bytes, by length: a method is recognised without making a string. */
const METHODS_BY_LENGTH: Uint8Array[][] = [];
for (const m of METHODS) (METHODS_BY_LENGTH[m.length] ??= []).push(Buffer.from(m, 'latin1'));

/** Whether d[start, end) is one of METHODS (exact case). */
function isMethod(d: Uint8Array, start: number, end: number): boolean {
  const list = METHODS_BY_LENGTH[end - start];
  if (list === undefined) return false;
  outer: for (const m of list) {
    for (let i = 0; i < m.length; i++) if (d[start + i] !== m[i]) continue outer;
    return true;
  }
  return false;
}

/** Largest decompressed body kept per message. */
const MAX_BODY = 1 << 20;
/**
 * Body bytes gathered into one body section (Snort 3's splitter also cuts bodies into sections of about
 * 16 KiB): fewer, larger sections than one per PDU, each inspected once.
 */
const BODY_SECTION = 16 * 1024;
/** Compressed bytes kept per message to inflate across sections; past it, later sections are not inflated. */
const MAX_COMPRESSED = 64 * 1024;
/** Default cap on a held header block (start line + headers). */
const DEFAULT_MAX_HEADER = 64 * 1024;
/** Requests waiting for their response, per flow (pipelining depth kept). */
const MAX_PENDING_REQUESTS = 32;
/** Flows holding a partial header block at once, past which the oldest is inspected as it stands. */
const MAX_HOLDING_FLOWS = 4096;

/** Snort 3's http_inspect defaults: maximum_header_length and maximum_headers. */
const MAX_HEADER_LINE = 4096;
const MAX_HEADERS = 200;

function ev(sid: number, msg: string): DecoderEvent {
  return Object.freeze({ gid: 119, sid, msg });
}

/**
 * http_inspect events (gid 119) the inspector raises, with Snort 3's sids and messages. They go on the
 * header section's unit and are logged with `builtinRules`, like the decoder's and the stream's.
 */
export const HTTP_EVENTS = {
  LONG_HEADER: ev(19, 'HTTP header line exceeds maximum_header_length option bytes'),
  MAX_HEADERS: ev(20, 'HTTP message has more than maximum_headers option header fields'),
} as const;

/** Counters for stats and tests. */
export interface HttpInspectorCounters {
  requests: number;
  responses: number;
  /** Units handed to detection: header sections, body sections, raw sections. */
  sections: number;
  decompressed: number;
  decompressErrors: number;
  /** Header blocks inspected without their end: at flow end (partial) or past `maxHeaderBytes` (truncated). */
  partialHeaders: number;
  truncatedHeaders: number;
  /** Sequence gaps or unparseable data that ended a message early. */
  resyncs: number;
}

export interface HttpInspectorOptions {
  /**
   * True when TCP data reaches the inspector as reassembled units (the flow + stream stage is on): raw
   * segments are then skipped, their bytes come back in a PDU. False: every TCP packet is the next
   * piece of its direction's stream (flow tracking without reassembly). Default true.
   */
  readonly streamed?: boolean;
  /** Cap on a header block (start line + headers) held across PDUs (default 64 KiB). */
  readonly maxHeaderBytes?: number;
}

const enum Phase {
  /** Expecting a message start. */
  Idle,
  /** A partial header block is held. */
  Header,
  /** Body with a Content-Length. */
  Length,
  /** Chunked body. */
  Chunked,
  /** Response body delimited by the end of the connection. */
  Close,
  /** After 101 / CONNECT: not HTTP any more. */
  Tunnel,
}

const enum Chunk {
  Size,
  Ext,
  SizeLf,
  Data,
  DataCr,
  DataLf,
  Trailer,
}

/** Header-level buffers of a message, kept for its body sections and for pairing. */
interface Message {
  readonly isRequest: boolean;
  readonly buffers: [string, Uint8Array][];
  readonly encoding: string;
  /** Compressed (de-chunked) body bytes so far, for inflating across sections. */
  parts: Uint8Array[] | undefined;
  partBytes: number;
  emitted: number;
  inflateFailed: boolean;
}

interface Request {
  readonly method: Uint8Array;
  readonly rawUri: Uint8Array;
  readonly uri: Uint8Array;
  readonly isHead: boolean;
  readonly isConnect: boolean;
}

class Direction {
  phase = Phase.Idle;
  /** A partial header block (a copy) while phase is Header. */
  held: Uint8Array | undefined = undefined;
  /** The unit that brought the held bytes (for inspecting them when the flow ends). */
  heldUnit: Packet | undefined = undefined;
  /** Next expected TCP sequence number, or -1. */
  nextSeq = -1;
  bodyLeft = 0;
  chunk = Chunk.Size;
  chunkSize = 0;
  chunkDigits = 0;
  /** Trailer parsing: bytes on the current trailer line. */
  trailerLine = 0;
  msg: Message | undefined = undefined;
  /** Any message seen in this direction (then unparseable data is inspected as a raw section). */
  synced = false;
  /** Body bytes not yet inspected (views into units), raw and de-chunked, up to BODY_SECTION. */
  bodyRaw: Uint8Array[] = [];
  bodyDecoded: Uint8Array[] = [];
  bodyBytes = 0;
  /** Every pending decoded piece is its raw piece (no chunk framing): one concatenation serves both. */
  bodySame = true;
  /** The unit that brought the last pending body bytes. */
  bodyUnit: Packet | undefined = undefined;
}

class HttpFlow {
  readonly client = new Direction();
  readonly server = new Direction();
  readonly requests: Request[] = [];
  constructor(readonly flow: FlowState) {}
}

/** A section found in one chunk of data, before it goes to detection. */
interface Section {
  readonly kind: 'header' | 'body' | 'raw';
  readonly raw: Uint8Array;
  readonly buffers: [string, Uint8Array][];
  /** http_inspect events of this section (header sections only). */
  readonly events?: DecoderEvent[];
}

/**
 * Fills HTTP buffers and inspects HTTP messages section by section (see the file comment).
 *
 * @example
 * const http = new HttpInspector();
 * http.onPacket(pkt, buffers); // a bare packet: buffers.get('http_uri') is then the normalised URI
 * // in the pipeline it is a unit stage: http.onPacket(pdu, buffers, ctx) hands sections to ctx.detect
 */
export class HttpInspector {
  readonly name = 'inspect';
  readonly units = true;
  readonly counters: HttpInspectorCounters = { requests: 0, responses: 0, sections: 0, decompressed: 0, decompressErrors: 0, partialHeaders: 0, truncatedHeaders: 0, resyncs: 0 };
  private readonly streamed: boolean;
  private readonly maxHeader: number;
  /** True while this inspector's own sections are being detected (they pass through the unit stages again). */
  private emitting = false;
  /** Flows holding a partial header block, oldest first. */
  private readonly holding = new Set<HttpFlow>();
  /** The buffers object of the last unit seen (reused, idle by then, to inspect held bytes at flow end). */
  private lastBuffers: SectionBuffers | undefined = undefined;

  constructor(options: HttpInspectorOptions = {}) {
    this.streamed = options.streamed ?? true;
    this.maxHeader = Math.max(64, options.maxHeaderBytes ?? DEFAULT_MAX_HEADER);
  }

  /**
   * Inspects one packet or unit. With a flow, a direction and `ctx`, the data continues that
   * direction's message stream and each completed section goes to `ctx.detect`; returns false when
   * the unit itself should not be inspected (its bytes are in sections, or held for later).
   */
  onPacket(pkt: Packet, buffers: BufferSink, ctx?: SectionContext): boolean {
    if (this.emitting || pkt.tcp === undefined) return true;
    const flow = pkt.flow;
    if (ctx === undefined || flow === undefined || pkt.direction === 'unknown' || !('reset' in buffers)) {
      this.stateless(pkt, buffers);
      return true;
    }
    // Raw segments of a reassembled stream come back as a PDU.
    if (this.streamed && pkt.reassembled !== true) return true;
    const d = pkt.payload;
    if (d.length === 0) return true;
    const svc = flow.service;
    if (svc !== undefined && svc !== 'http') return true;
    const slots = slotsOf(flow);
    let hf = slots.http as HttpFlow | undefined;
    if (hf === undefined) {
      // Only data that starts an HTTP message opens HTTP state for a flow.
      if (!startsMessage(d, 0, pkt.direction === 'client')) return true;
      hf = new HttpFlow(flow);
      slots.http = hf;
      flow.service ??= 'http';
    }
    this.lastBuffers = buffers as SectionBuffers;
    const dir = pkt.direction === 'client' ? hf.client : hf.server;
    const seq = pkt.tcp.seq;
    if (dir.nextSeq >= 0 && seq !== dir.nextSeq) {
      // Bytes already parsed (a retransmission, when nothing reassembles) are not parsed again.
      const ahead = (seq - dir.nextSeq) | 0;
      if (ahead < 0 && ahead + d.length <= 0) return true;
      this.resync(hf, dir, ctx, buffers as SectionBuffers);
    }
    dir.nextSeq = (seq + d.length) >>> 0;
    const sections = this.feed(hf, dir, pkt.direction === 'client', d, pkt);
    if (sections === undefined) return true;
    if (dir.phase === Phase.Header || dir.bodyBytes > 0) this.hold(hf);
    else if (!holds(hf.client) && !holds(hf.server)) this.holding.delete(hf);
    this.emit(pkt, sections, ctx, buffers as SectionBuffers);
    return false;
  }

  /** A flow ended: a header block still held is inspected as it stands (Snort flushes partial messages). */
  flowEnd(flow: FlowState, ctx: SectionContext): void {
    const hf = peekSlots(flow)?.http as HttpFlow | undefined;
    if (hf === undefined) return;
    this.holding.delete(hf);
    const buffers = this.lastBuffers;
    if (buffers === undefined) return;
    this.flushHeld(hf, hf.client, ctx, buffers);
    this.flushHeld(hf, hf.server, ctx, buffers);
  }

  /** End of input: every held header block is inspected. */
  finish(ctx: SectionContext): void {
    for (const hf of [...this.holding]) this.flowEnd(hf.flow, ctx);
  }

  private hold(hf: HttpFlow): void {
    if (this.holding.has(hf)) return;
    this.holding.add(hf);
    if (this.holding.size > MAX_HOLDING_FLOWS) {
      // Bounded memory without flow-end notices: the oldest holder loses its held bytes (counted).
      const oldest = this.holding.values().next().value as HttpFlow;
      this.holding.delete(oldest);
      for (const dir of [oldest.client, oldest.server]) {
        if (dir.bodyBytes > 0) {
          dropBody(dir);
          this.counters.resyncs++;
        }
        if (dir.phase !== Phase.Header) continue;
        dir.held = undefined;
        dir.heldUnit = undefined;
        dir.phase = Phase.Idle;
        this.counters.resyncs++;
      }
    }
  }

  private resync(hf: HttpFlow, dir: Direction, ctx: SectionContext, buffers: SectionBuffers): void {
    this.counters.resyncs++;
    this.flushHeld(hf, dir, ctx, buffers);
    if (dir.phase !== Phase.Tunnel) dir.phase = Phase.Idle;
    dir.msg = undefined;
  }

  private flushHeld(hf: HttpFlow, dir: Direction, ctx: SectionContext, buffers: SectionBuffers): void {
    if (dir.bodyBytes > 0 && dir.bodyUnit !== undefined) {
      const out: Section[] = [];
      const unit = dir.bodyUnit;
      this.flushBody(dir, out);
      this.emit(unit, out, ctx, buffers);
    }
    if (dir.phase !== Phase.Header || dir.held === undefined || dir.heldUnit === undefined) return;
    const held = dir.held;
    const unit = dir.heldUnit;
    dir.held = undefined;
    dir.heldUnit = undefined;
    dir.phase = Phase.Idle;
    this.counters.partialHeaders++;
    const sec = this.headerSection(hf, dir, dir === hf.client, held, 0, held.length, false);
    dir.phase = Phase.Idle;
    dir.msg = undefined;
    if (sec !== undefined) this.emit(unit, [sec], ctx, buffers);
  }

  private emit(pkt: Packet, sections: Section[], ctx: SectionContext, buffers: SectionBuffers): void {
    this.emitting = true;
    try {
      for (const s of sections) {
        this.counters.sections++;
        buffers.reset(s.raw);
        const bufs = s.buffers;
        for (let i = 0; i < bufs.length; i++) buffers.set(bufs[i]![0], bufs[i]![1]);
        const unit = sectionUnit(pkt, s);
        (ctx.detect as (u: Packet, b: SectionBuffers) => void)(unit, buffers);
      }
    } finally {
      this.emitting = false;
    }
  }

  /**
   * Parses `data` (the next bytes of one direction) into sections; undefined when nothing in it is HTTP
   * (the unit is inspected as it is).
   */
  private feed(hf: HttpFlow, dir: Direction, isClient: boolean, data: Uint8Array, unit: Packet): Section[] | undefined {
    let d = data;
    if (dir.phase === Phase.Header && dir.held !== undefined) {
      d = concatBytes(dir.held, data);
      dir.held = undefined;
      dir.heldUnit = undefined;
      dir.phase = Phase.Idle;
    } else if (dir.phase === Phase.Tunnel) return undefined;
    else if (dir.phase === Phase.Idle && !dir.synced && !startsMessage(d, 0, isClient)) return undefined;
    const out: Section[] = [];
    let pos = 0;
    while (pos < d.length) {
      switch (dir.phase as Phase) {
        case Phase.Idle:
        case Phase.Header: {
          // Empty lines between messages are allowed (RFC 9112 2.2).
          while (pos < d.length && (d[pos] === 13 || d[pos] === 10)) pos++;
          if (pos >= d.length) break;
          if (!startsMessage(d, pos, isClient)) {
            // Not a message start: the rest is inspected raw; the next unit may start a message.
            this.counters.resyncs++;
            out.push({ kind: 'raw', raw: d.subarray(pos), buffers: [] });
            pos = d.length;
            break;
          }
          const limit = Math.min(d.length, pos + this.maxHeader);
          const end = indexOfSeq(d, pos, CRLFCRLF, limit);
          if (end < 0) {
            if (d.length - pos >= this.maxHeader) {
              // Header block past the cap: inspect what the cap holds, skip the rest of this unit.
              this.counters.truncatedHeaders++;
              const sec = this.headerSection(hf, dir, isClient, d, pos, limit, false);
              if (sec !== undefined) out.push(sec);
              dir.phase = Phase.Idle;
              dir.msg = undefined;
              if (limit < d.length) out.push({ kind: 'raw', raw: d.subarray(limit), buffers: [] });
              pos = d.length;
              break;
            }
            dir.held = d.slice(pos);
            dir.heldUnit = unit;
            dir.phase = Phase.Header;
            pos = d.length;
            break;
          }
          const sec = this.headerSection(hf, dir, isClient, d, pos, end + 4, true);
          if (sec !== undefined) out.push(sec);
          pos = end + 4;
          break;
        }
        case Phase.Length: {
          const n = Math.min(dir.bodyLeft, d.length - pos);
          const raw = d.subarray(pos, pos + n);
          dir.bodyLeft -= n;
          pos += n;
          this.addBody(dir, raw, raw, unit, dir.bodyLeft === 0, out);
          if (dir.bodyLeft === 0) this.endMessage(dir);
          break;
        }
        case Phase.Chunked: {
          const start = pos;
          const pieces: Uint8Array[] = [];
          pos = this.dechunk(dir, d, pos, pieces);
          const decoded = pieces.length === 1 ? pieces[0]! : concatList(pieces);
          const ended = (dir.phase as Phase) === Phase.Idle;
          this.addBody(dir, d.subarray(start, pos), decoded, unit, ended, out);
          if (ended) this.endMessage(dir);
          break;
        }
        case Phase.Close: {
          const raw = d.subarray(pos);
          pos = d.length;
          this.addBody(dir, raw, raw, unit, false, out);
          break;
        }
        case Phase.Tunnel: {
          out.push({ kind: 'raw', raw: d.subarray(pos), buffers: [] });
          pos = d.length;
          break;
        }
      }
    }
    return out;
  }

  /** Adds body bytes to the pending section; it goes out at BODY_SECTION bytes or when the message ends. */
  private addBody(dir: Direction, raw: Uint8Array, decoded: Uint8Array, unit: Packet, ended: boolean, out: Section[]): void {
    if (raw.length > 0) {
      dir.bodyRaw.push(raw);
      if (decoded !== raw) dir.bodySame = false;
      if (decoded.length > 0) dir.bodyDecoded.push(decoded);
      dir.bodyBytes += raw.length;
      dir.bodyUnit = unit;
    }
    if (ended || dir.bodyBytes >= BODY_SECTION) this.flushBody(dir, out);
  }

  private flushBody(dir: Direction, out: Section[]): void {
    if (dir.bodyRaw.length === 0) return;
    const raw = dir.bodyRaw.length === 1 ? dir.bodyRaw[0]! : concatList(dir.bodyRaw);
    const decoded = dir.bodySame ? raw : dir.bodyDecoded.length === 1 ? dir.bodyDecoded[0]! : concatList(dir.bodyDecoded);
    dropBody(dir);
    out.push(this.bodySection(dir, raw, decoded));
  }

  private endMessage(dir: Direction): void {
    dir.phase = Phase.Idle;
    dir.msg = undefined;
  }

  /**
   * Parses the message whose start line begins at `start` and whose header block ends before `end`
   * (`complete`: `end` is just past CRLF CRLF). Sets the direction's body phase. Undefined when the start
   * line is not HTTP after all.
   */
  private headerSection(hf: HttpFlow, dir: Direction, isClient: boolean, d: Uint8Array, start: number, end: number, complete: boolean): Section | undefined {
    const block = d.subarray(start, end);
    const bufs: [string, Uint8Array][] = [];
    const sink: BufferSink = { set: (name, data) => void bufs.push([name, data]) };
    const head = isClient ? parseRequestHead(block, sink) : parseResponseHead(block, sink);
    if (head === undefined) {
      this.counters.resyncs++;
      return { kind: 'raw', raw: block, buffers: [] };
    }
    dir.synced = true;
    const f = parseHeaderFields(block, head.lineEnd < 0 ? block.length : head.lineEnd + 2, block.length, isClient, sink);
    const msg: Message = { isRequest: isClient, buffers: bufs, encoding: f.encoding, parts: undefined, partBytes: 0, emitted: 0, inflateFailed: false };
    let bodyPhase = Phase.Idle;
    if (isClient) {
      this.counters.requests++;
      const req = head as RequestHead;
      if (hf.requests.length >= MAX_PENDING_REQUESTS) hf.requests.shift();
      hf.requests.push({ method: req.method, rawUri: req.rawUri, uri: req.uri, isHead: req.isHead, isConnect: req.isConnect });
      if (f.chunked) bodyPhase = Phase.Chunked;
      else if (f.contentLength > 0) bodyPhase = Phase.Length;
    } else {
      this.counters.responses++;
      const status = (head as ResponseHead).status;
      const interim = status >= 100 && status < 200 && status !== 101;
      const req = interim ? hf.requests[0] : hf.requests.shift();
      if (req !== undefined) {
        // Snort 3 makes the request's method and URI available while the response is inspected.
        bufs.push(['http_method', req.method], ['http_raw_uri', req.rawUri], ['http_uri', req.uri]);
      }
      if (status === 101 || (req?.isConnect === true && status >= 200 && status < 300)) {
        hf.client.phase = Phase.Tunnel;
        hf.server.phase = Phase.Tunnel;
        hf.client.held = undefined;
        hf.client.heldUnit = undefined;
        this.holding.delete(hf);
      } else if (interim || status === 204 || status === 304 || req?.isHead === true) bodyPhase = Phase.Idle;
      else if (f.chunked) bodyPhase = Phase.Chunked;
      else if (f.contentLength >= 0) bodyPhase = f.contentLength > 0 ? Phase.Length : Phase.Idle;
      else bodyPhase = Phase.Close;
    }
    if (!complete) bodyPhase = Phase.Idle;
    if (dir.phase !== Phase.Tunnel) {
      dir.phase = bodyPhase;
      dir.msg = bodyPhase === Phase.Idle ? undefined : msg;
      dir.bodyLeft = f.contentLength > 0 ? f.contentLength : 0;
      dir.chunk = Chunk.Size;
      dir.chunkSize = 0;
      dir.chunkDigits = 0;
      dir.trailerLine = 0;
    }
    let events: DecoderEvent[] | undefined;
    if (f.longestLine > MAX_HEADER_LINE) (events ??= []).push(HTTP_EVENTS.LONG_HEADER);
    if (f.fields > MAX_HEADERS) (events ??= []).push(HTTP_EVENTS.MAX_HEADERS);
    return { kind: 'header', raw: block, buffers: bufs, events };
  }

  /** A body section: raw bytes as sent, `decoded` de-chunked; inflated across sections when encoded. */
  private bodySection(dir: Direction, raw: Uint8Array, decoded: Uint8Array): Section {
    const msg = dir.msg;
    const bufs: [string, Uint8Array][] = msg === undefined ? [] : msg.buffers.slice();
    let body = decoded;
    if (msg !== undefined && (msg.encoding === 'gzip' || msg.encoding === 'x-gzip' || msg.encoding === 'deflate') && !msg.inflateFailed && decoded.length > 0) {
      body = this.inflateSection(msg, decoded);
    }
    if (body.length > 0) {
      if (msg === undefined || msg.isRequest) bufs.push(['http_client_body', body]);
      bufs.push(['file_data', body]);
    }
    return { kind: 'body', raw, buffers: bufs };
  }

  /** Inflates the message's compressed bytes so far and returns what this section added. */
  private inflateSection(msg: Message, decoded: Uint8Array): Uint8Array {
    if (msg.partBytes + decoded.length > MAX_COMPRESSED) {
      msg.inflateFailed = true;
      return decoded;
    }
    (msg.parts ??= []).push(decoded);
    msg.partBytes += decoded.length;
    const all = msg.parts.length === 1 ? msg.parts[0]! : concatList(msg.parts);
    if (msg.parts.length > 1) msg.parts = [all];
    const out = inflatePartial(all, msg.encoding);
    if (out === undefined) {
      this.counters.decompressErrors++;
      msg.inflateFailed = true;
      return decoded;
    }
    if (msg.emitted === 0) this.counters.decompressed++;
    const fresh = out.subarray(Math.min(msg.emitted, out.length));
    msg.emitted = out.length;
    return fresh;
  }

  /** Runs the chunked-body state machine from `pos`; pushes data pieces; returns where it stopped. */
  private dechunk(dir: Direction, d: Uint8Array, pos: number, pieces: Uint8Array[]): number {
    while (pos < d.length) {
      const c = d[pos]!;
      switch (dir.chunk) {
        case Chunk.Size: {
          const h = hexVal(c);
          if (h >= 0 && dir.chunkDigits < 8) {
            dir.chunkSize = dir.chunkSize * 16 + h;
            dir.chunkDigits++;
            pos++;
          } else if (c === 0x3b || c === 0x20 || c === 0x09) {
            dir.chunk = Chunk.Ext;
            pos++;
          } else if (c === 13) {
            dir.chunk = Chunk.SizeLf;
            pos++;
          } else if (c === 10) {
            dir.chunk = Chunk.SizeLf;
          } else {
            // Not chunked framing after all: the rest is body as it stands.
            this.counters.resyncs++;
            pieces.push(d.subarray(pos));
            dir.phase = Phase.Idle;
            return d.length;
          }
          break;
        }
        case Chunk.Ext:
          if (c === 13 || c === 10) dir.chunk = Chunk.SizeLf;
          else pos++;
          break;
        case Chunk.SizeLf:
          if (c === 10) {
            pos++;
            if (dir.chunkDigits === 0) {
              this.counters.resyncs++;
              dir.phase = Phase.Idle;
              return pos;
            }
            if (dir.chunkSize === 0) {
              dir.chunk = Chunk.Trailer;
              dir.trailerLine = 0;
            } else dir.chunk = Chunk.Data;
          } else pos++;
          break;
        case Chunk.Data: {
          const n = Math.min(dir.chunkSize, d.length - pos);
          pieces.push(d.subarray(pos, pos + n));
          pos += n;
          dir.chunkSize -= n;
          if (dir.chunkSize === 0) dir.chunk = Chunk.DataCr;
          break;
        }
        case Chunk.DataCr:
          if (c === 13) pos++;
          dir.chunk = Chunk.DataLf;
          break;
        case Chunk.DataLf:
          if (c === 10) pos++;
          dir.chunk = Chunk.Size;
          dir.chunkSize = 0;
          dir.chunkDigits = 0;
          break;
        case Chunk.Trailer:
          pos++;
          if (c === 10) {
            if (dir.trailerLine === 0) {
              dir.phase = Phase.Idle;
              return pos;
            }
            dir.trailerLine = 0;
          } else if (c !== 13) dir.trailerLine++;
          break;
      }
    }
    return pos;
  }

  /** One packet on its own (no flow state): its buffers, as far as the packet goes. */
  private stateless(pkt: Packet, buffers: BufferSink): void {
    const d = pkt.payload;
    if (d.length < 10) return;
    const isResponse = d[0] === 0x48 && startsWithAt(d, 0, 'HTTP/');
    if (!isResponse && !startsMessage(d, 0, true)) return;
    const headerEnd = indexOfSeq(d, 0, CRLFCRLF, d.length);
    const blockEnd = headerEnd < 0 ? d.length : headerEnd + 4;
    const block = d.subarray(0, blockEnd);
    const head = isResponse ? parseResponseHead(block, buffers) : parseRequestHead(block, buffers);
    if (head === undefined) return;
    if (isResponse) this.counters.responses++;
    else this.counters.requests++;
    if (pkt.flow !== undefined) pkt.flow.service ??= 'http';
    if (head.lineEnd < 0) return;
    const f = parseHeaderFields(block, head.lineEnd + 2, block.length, !isResponse, buffers);
    if (headerEnd < 0) return;
    let body: Uint8Array = d.subarray(blockEnd);
    if (body.length === 0) return;
    if (f.chunked) {
      const dir = new Direction();
      const pieces: Uint8Array[] = [];
      this.dechunk(dir, body, 0, pieces);
      if (pieces.length > 0) body = concatList(pieces);
    }
    if (f.encoding === 'gzip' || f.encoding === 'x-gzip' || f.encoding === 'deflate') {
      const inflated = inflatePartial(body, f.encoding);
      if (inflated !== undefined) {
        this.counters.decompressed++;
        body = inflated;
      } else this.counters.decompressErrors++;
    }
    if (body.length === 0) return;
    buffers.set(isResponse ? 'file_data' : 'http_client_body', body);
  }
}

/**
 * The unit a section goes to detection as: the packet or PDU it came from with the section's bytes.
 * Built by PacketRecord (not a spread) so section units share the hidden class of every other packet.
 */
function sectionUnit(pkt: Packet, s: Section): Packet {
  return new PacketRecord(pkt.raw, pkt.layers, pkt.ip, pkt.tcp, pkt.udp, pkt.icmp, pkt.proto, pkt.srcPort, pkt.dstPort, s.raw, pkt.rebuilt, pkt.isFragment, true, s.kind === 'raw' ? undefined : s.kind, s.events ?? [], pkt.flow, pkt.direction);
}

interface RequestHead {
  readonly lineEnd: number;
  readonly method: Uint8Array;
  readonly rawUri: Uint8Array;
  readonly uri: Uint8Array;
  readonly isHead: boolean;
  readonly isConnect: boolean;
}

interface ResponseHead {
  readonly lineEnd: number;
  readonly status: number;
}

/** Whether a message starts at `pos`: a known method and a space (requests) or `HTTP/` (responses). */
function startsMessage(d: Uint8Array, pos: number, isClient: boolean): boolean {
  if (!isClient) return d.length - pos >= 5 && d[pos] === 0x48 && startsWithAt(d, pos, 'HTTP/');
  const first = d[pos];
  if (first === undefined || first < 0x41 || first > 0x5a) return false;
  const stop = Math.min(d.length, pos + 16);
  for (let i = pos + 1; i < stop; i++) {
    const c = d[i]!;
    if (c === 0x20) return isMethod(d, pos, i);
    if (!((c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x2d)) return false;
  }
  return false;
}

/** Request line: http_method, http_raw_uri, http_uri, http_request_line, http_protocol. */
function parseRequestHead(d: Uint8Array, buffers: BufferSink): RequestHead | undefined {
  const lineEnd = indexOfCrlf(d, 0);
  const line = lineEnd < 0 ? d : d.subarray(0, lineEnd);
  const sp1 = line.indexOf(0x20);
  if (sp1 <= 0) return undefined;
  if (!isMethod(line, 0, sp1)) return undefined;
  const method = line.subarray(0, sp1);
  let sp2 = line.lastIndexOf(0x20);
  if (sp2 <= sp1) sp2 = line.length;
  const proto = line.subarray(sp2 + 1);
  if (sp2 < line.length && !startsWithAt(proto, 0, 'HTTP/')) return undefined;
  const rawUri = line.subarray(sp1 + 1, sp2);
  const uri = normaliseUri(rawUri);
  buffers.set('http_method', method);
  buffers.set('http_raw_uri', rawUri);
  buffers.set('http_uri', uri);
  buffers.set('http_request_line', line);
  if (sp2 < line.length) buffers.set('http_protocol', proto);
  return { lineEnd, method, rawUri, uri, isHead: sp1 === 4 && startsWithAt(d, 0, 'HEAD'), isConnect: sp1 === 7 && startsWithAt(d, 0, 'CONNECT') };
}

/** Status line: http_protocol, http_stat_code, http_stat_msg, http_response_line. */
function parseResponseHead(d: Uint8Array, buffers: BufferSink): ResponseHead | undefined {
  const lineEnd = indexOfCrlf(d, 0);
  const line = lineEnd < 0 ? d : d.subarray(0, lineEnd);
  const sp1 = line.indexOf(0x20);
  if (sp1 < 0 || line.length < sp1 + 4) return undefined;
  const code = line.subarray(sp1 + 1, sp1 + 4);
  if (!code.every((c) => c >= 0x30 && c <= 0x39)) return undefined;
  buffers.set('http_protocol', line.subarray(0, sp1));
  buffers.set('http_stat_code', code);
  buffers.set('http_stat_msg', line.subarray(Math.min(line.length, sp1 + 5)));
  buffers.set('http_response_line', line);
  return { lineEnd, status: (code[0]! - 0x30) * 100 + (code[1]! - 0x30) * 10 + (code[2]! - 0x30) };
}

interface HeaderFields {
  readonly encoding: string;
  readonly chunked: boolean;
  /** -1 when absent or invalid. */
  readonly contentLength: number;
  /** Header lines seen and the longest one, in bytes. */
  readonly fields: number;
  readonly longestLine: number;
}

/** Header lines from `start` to `end` (the block may lack its final CRLF CRLF): header buffers. */
function parseHeaderFields(d: Uint8Array, start: number, end: number, isRequest: boolean, buffers: BufferSink): HeaderFields {
  let stop = end;
  while (stop > start && (d[stop - 1] === 10 || d[stop - 1] === 13)) stop--;
  const raw = d.subarray(start, Math.min(end, stop + 2));
  buffers.set('http_raw_header', raw);
  buffers.set('http_header', raw);
  buffers.set('http_start', d.subarray(0, Math.min(end, stop + 2)));
  let encoding = '';
  let chunked = false;
  let contentLength = -1;
  let cookies: Uint8Array[] | undefined;
  // Trimmed header names as offsets (start, end) into `d`: no string per header line.
  const names: number[] = [];
  let namesBytes = 0;
  let pos = start;
  let fields = 0;
  let longestLine = 0;
  while (pos < stop) {
    let eol = indexOfCrlf(d, pos);
    if (eol < 0 || eol > stop) eol = stop;
    fields++;
    if (eol - pos > longestLine) longestLine = eol - pos;
    let colon = pos;
    while (colon < eol && d[colon] !== 0x3a) colon++;
    if (colon > pos && colon < eol) {
      // The trim loops step once before testing (from one before the name's ends): a name with spaces
      // around it is rare, and a step that never ran left a site without type feedback, which
      // deoptimised and recompiled this function when the first such name came.
      let ns = pos - 1;
      do ns++;
      while (ns < colon && isTrimmed(d[ns]!));
      let ne = colon + 1;
      do ne--;
      while (ne > ns && isTrimmed(d[ne - 1]!));
      names.push(ns, ne);
      namesBytes += ne - ns;
      let vs = colon + 1;
      while (vs < eol && (d[vs] === 0x20 || d[vs] === 0x09)) vs++;
      const id = knownHeader(d, ns, ne);
      if (id >= 0) {
        const value = d.subarray(vs, eol);
        const target = KNOWN_HEADERS[id]![1];
        if (target !== undefined) buffers.set(target, value);
        if (id === H_HOST) buffers.set('http_raw_host', value);
        if ((id === H_COOKIE && isRequest) || (id === H_SET_COOKIE && !isRequest)) (cookies ??= []).push(value);
        else if (id === H_CONTENT_ENCODING) encoding = latin1(value).trim().toLowerCase();
        else if (id === H_TRANSFER_ENCODING) chunked = latin1(value).toLowerCase().includes('chunked');
        else if (id === H_CONTENT_LENGTH) {
          const s = latin1(value).trim();
          contentLength = /^\d{1,15}$/.test(s) ? Number(s) : -1;
        }
      }
    }
    pos = eol + 2;
  }
  if (cookies !== undefined) {
    const joined = cookies.length === 1 ? cookies[0]! : Buffer.concat(cookies);
    buffers.set('http_cookie', joined);
    buffers.set('http_raw_cookie', joined);
  }
  // Suricata's http.header_names: each name after CRLF, the list closed by an empty line.
  if (names.length > 0) buffers.set('http_header_names', headerNames(d, names, namesBytes));
  return { encoding, chunked, contentLength, fields, longestLine };
}

/** Bytes String.prototype.trim removes from a latin1 header name (whitespace, line ends, NBSP). */
function isTrimmed(c: number): boolean {
  return (c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0xa0;
}

/** `\r\n` + names joined by `\r\n` + `\r\n\r\n`, from (start, end) offset pairs into `d`. */
function headerNames(d: Uint8Array, names: readonly number[], namesBytes: number): Buffer {
  const count = names.length >> 1;
  const out = Buffer.allocUnsafe(namesBytes + 2 * count + 4);
  let o = 0;
  for (let i = 0; i < names.length; i += 2) {
    out[o++] = 13;
    out[o++] = 10;
    out.set(d.subarray(names[i]!, names[i + 1]!), o);
    o += names[i + 1]! - names[i]!;
  }
  out[o++] = 13;
  out[o++] = 10;
  out[o++] = 13;
  out[o] = 10;
  return out;
}

/** Header fields the parser looks at (lower case) and the buffer each fills, if any. */
const KNOWN_HEADERS: readonly (readonly [string, string | undefined])[] = [
  ['host', 'http_host'],
  ['user-agent', 'http_user_agent'],
  ['referer', 'http_referer'],
  ['content-type', 'http_content_type'],
  ['content-length', 'http_content_len'],
  ['accept', 'http_accept'],
  ['accept-encoding', 'http_accept_enc'],
  ['accept-language', 'http_accept_lang'],
  ['connection', 'http_connection'],
  ['location', 'http_location'],
  ['server', 'http_server'],
  ['cookie', undefined],
  ['set-cookie', undefined],
  ['content-encoding', undefined],
  ['transfer-encoding', undefined],
];
const H_HOST = 0;
const H_CONTENT_LENGTH = 4;
const H_COOKIE = 11;
const H_SET_COOKIE = 12;
const H_CONTENT_ENCODING = 13;
const H_TRANSFER_ENCODING = 14;
const KNOWN_HEADER_BYTES = KNOWN_HEADERS.map(([n]) => Buffer.from(n, 'latin1'));

/**
 * The KNOWN_HEADERS index of the name in d[start, end), compared case-insensitively (ASCII letters only:
 * every known name is ASCII, and lower-casing a latin1 byte never makes an ASCII letter), or -1.
 */
function knownHeader(d: Uint8Array, start: number, end: number): number {
  const len = end - start;
  outer: for (let k = 0; k < KNOWN_HEADER_BYTES.length; k++) {
    const n = KNOWN_HEADER_BYTES[k]!;
    if (n.length !== len) continue;
    for (let i = 0; i < len; i++) {
      const c = d[start + i]!;
      if ((c >= 0x41 && c <= 0x5a ? c | 0x20 : c) !== n[i]) continue outer;
    }
    return k;
  }
  return -1;
}

const CRLFCRLF = Uint8Array.of(13, 10, 13, 10);

function latin1(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
}

function startsWithAt(b: Uint8Array, at: number, s: string): boolean {
  if (b.length - at < s.length) return false;
  for (let i = 0; i < s.length; i++) if (b[at + i] !== s.charCodeAt(i)) return false;
  return true;
}

function indexOfCrlf(d: Uint8Array, from: number): number {
  for (let i = from; i + 1 < d.length; i++) if (d[i] === 13 && d[i + 1] === 10) return i;
  return -1;
}

/** First `seq` starting in [from, limit - seq.length]. */
function indexOfSeq(d: Uint8Array, from: number, seq: Uint8Array, limit: number): number {
  const i = Buffer.from(d.buffer, d.byteOffset, Math.min(d.byteLength, limit)).indexOf(seq, from);
  return i;
}

function holds(dir: Direction): boolean {
  return dir.phase === Phase.Header || dir.bodyBytes > 0;
}

function dropBody(dir: Direction): void {
  dir.bodyRaw = [];
  dir.bodyDecoded = [];
  dir.bodyBytes = 0;
  dir.bodySame = true;
  dir.bodyUnit = undefined;
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function concatList(list: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of list) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of list) {
    out.set(p, o);
    o += p.length;
  }
  return out;
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
  if (isNormal(raw)) return raw;
  // Decoding never lengthens the URI: one buffer of the raw length holds the result.
  const out = Buffer.allocUnsafe(raw.length);
  let n = 0;
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
    out[n++] = c;
  }
  const text = out.subarray(0, n);
  // The first `?` of the decoded text (a %3f before the raw `?` counts), as when the query was found.
  const q = inQuery ? text.indexOf(0x3f) : -1;
  const path = q >= 0 ? text.subarray(0, q) : text;
  const normal = normalisePath(path);
  if (normal === path) return text;
  return q >= 0 ? Buffer.concat([normal, text.subarray(q)]) : normal;
}

/**
 * True when normaliseUri would return the same bytes: no `%` or `\\`, and in the path (before `?`) no `//`
 * and no `/.` (a `/.` that is not a dot segment is let through to the slow path too; it copies).
 */
function isNormal(raw: Uint8Array): boolean {
  let inPath = true;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === 0x25 || c === 0x5c) return false;
    if (c === 0x3f) inPath = false;
    else if (c === 0x2f && inPath && (raw[i + 1] === 0x2f || raw[i + 1] === 0x2e)) return false;
  }
  return true;
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
