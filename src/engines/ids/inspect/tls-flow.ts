/**
 * Per-flow SSL/TLS state, as Snort's SSL inspector and Suricata's TLS parser keep it, for `ssl_state`,
 * `ssl_version` and `tls.version`:
 *   - records are followed across units (segments or reassembled PDUs) per direction: a record header
 *     or a handshake record split over units is completed from a small per-direction buffer (at most one
 *     record, 18 KiB); other records are skipped by their length without copying;
 *   - `cur`: the handshake messages of the unit just parsed (Snort's SSL_CUR_* flags, cleared per unit);
 *   - each side's version (Suricata's `client_connp.version` / `server_connp.version`): the record
 *     version until a hello is seen, then the hello's version, then the supported_versions extension
 *     (the ServerHello's selected version, or the first valid version the ClientHello offers), so TLS 1.3
 *     is recognised although its records and hellos say 1.2.
 * After a ChangeCipherSpec, a handshake record is read only if its messages tile it exactly (a TLS 1.3
 * client's second ClientHello after a HelloRetryRequest), not when it is an encrypted Finished. A direction whose bytes are not
 * SSL/TLS records stops being parsed (the unit gets `unknown`). State exists only on flows whose data
 * started like SSL/TLS.
 */
import type { FlowState, Packet } from '../types.js';

/** `ssl_state` bits (the current unit's handshake messages). */
export const SSL_STATE = { client_hello: 1, server_hello: 2, server_keyx: 4, client_keyx: 8, unknown: 16 } as const;
/** `ssl_version` bits. */
export const SSL_VERSION = { sslv2: 1, sslv3: 2, 'tls1.0': 4, 'tls1.1': 8, 'tls1.2': 16, 'tls1.3': 32 } as const;

/** Wire version numbers. */
export const TLS_WIRE = { SSLV2: 0x0002, SSLV3: 0x0300, TLS10: 0x0301, TLS11: 0x0302, TLS12: 0x0303, TLS13: 0x0304 } as const;

/** TlsDirection.recFlags: the record's hello was parsed. */
const PARSED_HELLO = 0x100;

/** Largest record body accepted (RFC 8446: 2^14 + 256 for ciphertext; TLS 1.2 allows 2^14 + 2048). */
const MAX_RECORD = 16384 + 2048;

/** The `ssl_version` bit of a wire version: TLS 1.3 drafts (0x7fxx) and Facebook's (0xfbxx) count as 1.3. */
export function versionBit(v: number): number {
  switch (v) {
    case TLS_WIRE.SSLV2:
      return SSL_VERSION.sslv2;
    case TLS_WIRE.SSLV3:
      return SSL_VERSION.sslv3;
    case TLS_WIRE.TLS10:
      return SSL_VERSION['tls1.0'];
    case TLS_WIRE.TLS11:
      return SSL_VERSION['tls1.1'];
    case TLS_WIRE.TLS12:
      return SSL_VERSION['tls1.2'];
    case TLS_WIRE.TLS13:
      return SSL_VERSION['tls1.3'];
    default:
      return v >> 8 === 0x7f || v >> 8 === 0xfb ? SSL_VERSION['tls1.3'] : 0;
  }
}

/** A version Suricata accepts in supported_versions (skips GREASE and noise). */
function validVersion(v: number): boolean {
  return (v >= TLS_WIRE.SSLV3 && v <= TLS_WIRE.TLS13) || v >> 8 === 0x7f || v >> 8 === 0xfb;
}

/** Record parsing state of one direction (for one kind of unit: raw segments or reassembled PDUs). */
class TlsDirection {
  /** Bytes of the current record body still to skip (not buffered). */
  skip = 0;
  /** Partial record (header, or header + handshake body) carried over to the next unit. */
  buf: Uint8Array | undefined = undefined;
  bufLen = 0;
  /** Total bytes of the record being buffered (0 while its 5-byte header is incomplete). */
  bufWant = 0;
  /** Bytes of a handshake message that continue in the next handshake record (a Certificate...). */
  hsSkip = 0;
  /** Bytes at the start of the current handshake record that belong to a message begun before it. */
  recSkip = 0;
  /** SSL_STATE bits already reported for the current handshake record (it may span units), and PARSED_HELLO. */
  recFlags = 0;
  /** A ChangeCipherSpec was seen: later handshake records are likely encrypted. */
  encrypted = false;
  /** SSLv2 or not SSL/TLS: nothing more is parsed. */
  stopped = false;
  /** Raw segments: the next expected sequence number (-1 before the first). */
  nextSeq = -1;

  /** Back to a fresh direction (scratch reuse). */
  clearAll(): void {
    this.reset();
    this.encrypted = false;
    this.stopped = false;
    this.nextSeq = -1;
  }

  reset(): void {
    this.recSkip = 0;
    this.recFlags = 0;
    this.skip = 0;
    this.bufLen = 0;
    this.bufWant = 0;
    this.hsSkip = 0;
  }

  append(d: Uint8Array, from: number, to: number): void {
    const need = this.bufLen + (to - from);
    if (this.buf === undefined || this.buf.length < need) {
      const grown = new Uint8Array(Math.min(5 + MAX_RECORD, Math.max(need, this.buf === undefined ? 512 : this.buf.length * 2)));
      if (this.buf !== undefined) grown.set(this.buf.subarray(0, this.bufLen));
      this.buf = grown;
    }
    this.buf.set(d.subarray(from, to), this.bufLen);
    this.bufLen = need;
  }
}

/**
 * The SSL/TLS state of one flow.
 *
 * @example
 * const t = tlsStateOf(pkt.flow); if (t && t.curUnit === pkt && (t.cur & SSL_STATE.client_hello)) { ... }
 */
export class TlsFlowState {
  /** Handshake-message bits (SSL_STATE) of `curUnit`, the unit parsed last. */
  cur = 0;
  curUnit: Packet | undefined = undefined;
  /** Wire versions of each side (0 until known). */
  clientVersion = 0;
  serverVersion = 0;
  /** SSL_VERSION bits of both sides' versions (Snort's flow-wide version flags). */
  versionBits = 0;
  /** The ClientHello record of `curUnit` (a view, or the direction buffer), for SNI. */
  clientHello: Uint8Array | undefined = undefined;
  private clientHelloSeen = false;
  private serverHelloSeen = false;
  /** The client spoke an SSLv2 hello offering SSLv3/TLS: SSLv2 until the server answers in v3 (as Snort). */
  private v2Compat = 0;
  private pduDir: [TlsDirection | undefined, TlsDirection | undefined] = [undefined, undefined];
  private rawDir: [TlsDirection | undefined, TlsDirection | undefined] = [undefined, undefined];

  /**
   * Parses one unit of the flow. `fromServer` is its sender; `pdu` says whether it is a reassembled PDU
   * (PDUs and raw segments are followed apart, like Snort's rebuilt / raw record lengths); `seq` is the
   * raw segment's TCP sequence number (retransmitted bytes are skipped, a gap resynchronises).
   */
  update(unit: Packet, d: Uint8Array, fromServer: boolean, pdu: boolean, seq: number): void {
    this.cur = 0;
    this.curUnit = unit;
    this.clientHello = undefined;
    const side = fromServer ? 1 : 0;
    const dirs = pdu ? this.pduDir : this.rawDir;
    let dir = dirs[side];
    if (dir === undefined) dirs[side] = dir = new TlsDirection();
    if (dir.stopped || d.length === 0) return;
    let from = 0;
    if (!pdu) {
      if (dir.nextSeq !== -1) {
        const ahead = (seq - dir.nextSeq) | 0;
        if (ahead < 0) {
          // Retransmitted bytes: parse only what is new.
          if (-ahead >= d.length) return;
          from = -ahead;
        } else if (ahead > 0) dir.reset(); // a gap: the next bytes may start anywhere; try a record boundary
      }
      dir.nextSeq = (seq + d.length) | 0;
    }
    if (from === 0 && dir.skip === 0 && dir.bufLen === 0 && (d[0]! & 0x80) !== 0 && this.sslv2(d, fromServer, dir)) return;
    this.records(d, from, fromServer, dir);
  }

  /** An SSLv2 record at the start of a unit (2-byte header with the high bit set). Returns false when it is not one. */
  private sslv2(d: Uint8Array, fromServer: boolean, dir: TlsDirection): boolean {
    if (d.length < 5) return false;
    const type = d[2]!;
    if (!fromServer && type === 1) {
      this.cur |= SSL_STATE.client_hello;
      const v = (d[3]! << 8) | d[4]!;
      if (d[3] === 3 && d[4]! <= 3) this.v2Compat = v;
      else if (v !== TLS_WIRE.SSLV2) this.cur |= SSL_STATE.unknown;
      this.setVersion(false, TLS_WIRE.SSLV2);
      this.clientHelloSeen = true;
    } else if (fromServer && type === 4 && d.length >= 7) {
      this.cur |= SSL_STATE.server_hello;
      if (d[5] === 0 && d[6] === 2) this.setVersion(true, TLS_WIRE.SSLV2);
      else this.cur |= SSL_STATE.unknown;
      this.serverHelloSeen = true;
    } else if (!fromServer && type === 2) this.cur |= SSL_STATE.client_keyx;
    else return false;
    // The rest of an SSLv2 session is encrypted; a client that offered SSLv3/TLS in an SSLv2 hello goes
    // on in SSLv3/TLS records (its ClientKeyExchange...).
    if (this.v2Compat === 0) dir.stopped = true;
    return true;
  }

  private records(d: Uint8Array, pos: number, fromServer: boolean, dir: TlsDirection): void {
    const end = d.length;
    while (pos < end) {
      if (dir.skip > 0) {
        const n = Math.min(dir.skip, end - pos);
        dir.skip -= n;
        pos += n;
        continue;
      }
      if (dir.bufLen > 0) {
        // Complete a carried-over header, then (handshake records only) the body.
        if (dir.bufWant === 0) {
          const n = Math.min(5 - dir.bufLen, end - pos);
          dir.append(d, pos, pos + n);
          pos += n;
          if (dir.bufLen < 5) return;
          const b = dir.buf!;
          const len = this.header(b, 0, fromServer, dir);
          if (len < 0) return;
          if (b[0] !== 22) {
            dir.bufLen = 0;
            dir.skip = len;
            if (b[0] === 20) this.changeCipherSpec(dir);
            continue;
          }
          dir.bufWant = 5 + len;
        }
        const n = Math.min(dir.bufWant - dir.bufLen, end - pos);
        dir.append(d, pos, pos + n);
        pos += n;
        const b = dir.buf!;
        const want = dir.bufWant;
        if (dir.bufLen < want) {
          // Messages whose headers are here count for this unit already (as Snort reads a partial record).
          this.handshakes(b, 5, dir.bufLen, want, b.subarray(0, dir.bufLen), fromServer, dir);
          return;
        }
        dir.bufLen = 0;
        dir.bufWant = 0;
        this.handshakes(b, 5, want, want, b.subarray(0, want), fromServer, dir);
        // A big carry-over (a certificate chain) is not kept for the rest of the session.
        if (b.length > 2048) dir.buf = undefined;
        continue;
      }
      if (end - pos < 5) {
        dir.append(d, pos, end);
        return;
      }
      const len = this.header(d, pos, fromServer, dir);
      if (len < 0) return;
      const type = d[pos]!;
      if (type === 22) {
        const recEnd = pos + 5 + len;
        if (recEnd <= end) {
          this.handshakes(d, pos + 5, recEnd, recEnd, d.subarray(pos, recEnd), fromServer, dir);
          pos = recEnd;
        } else {
          this.handshakes(d, pos + 5, end, recEnd, d.subarray(pos, end), fromServer, dir);
          dir.append(d, pos, end);
          dir.bufWant = 5 + len;
          return;
        }
        continue;
      }
      if (type === 20) this.changeCipherSpec(dir);
      pos += 5;
      dir.skip = len;
    }
  }

  /** Checks a record header; returns its body length, or -1 (and stops the direction) when it is not SSL/TLS. */
  private header(b: Uint8Array, at: number, fromServer: boolean, dir: TlsDirection): number {
    const type = b[at]!;
    const major = b[at + 1]!;
    const minor = b[at + 2]!;
    const len = (b[at + 3]! << 8) | b[at + 4]!;
    if (type < 20 || type > 24 || major !== 3 || minor > 4 || len > MAX_RECORD) {
      this.cur |= SSL_STATE.unknown;
      dir.stopped = true;
      dir.reset();
      return -1;
    }
    // The record version stands for the side's version until a hello says otherwise.
    if (!(fromServer ? this.serverHelloSeen : this.clientHelloSeen)) this.setVersion(fromServer, (major << 8) | minor);
    if (type === 22) {
      // A new handshake record: it may start with the rest of a message begun in the previous one.
      dir.recSkip = Math.min(dir.hsSkip, len);
      dir.hsSkip -= dir.recSkip;
      dir.recFlags = 0;
    }
    return len;
  }

  private changeCipherSpec(dir: TlsDirection): void {
    dir.encrypted = true;
    dir.hsSkip = 0;
    dir.recSkip = 0;
  }

  /**
   * The handshake messages of a record body: `b[from..end)` is what is here of it, `recEnd` where it
   * ends (beyond `end` while the record is incomplete), `record` the record as far as it is here (for
   * SNI). Called again as the record grows: a message counts in the first unit that shows its header, a
   * hello's versions are read once it is whole.
   */
  private handshakes(b: Uint8Array, from: number, end: number, recEnd: number, record: Uint8Array, fromServer: boolean, dir: TlsDirection): void {
    const complete = end === recEnd;
    // After ChangeCipherSpec a handshake record is read only when whole and made of plaintext messages.
    if (dir.encrypted && (!complete || !plainHandshakes(b, from, end))) return;
    let flags = 0;
    let p = from + dir.recSkip;
    while (p + 4 <= end) {
      const type = b[p]!;
      const len = (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
      const body = p + 4;
      const whole = body + len <= end;
      switch (type) {
        case 1:
          if (fromServer) break;
          flags |= SSL_STATE.client_hello;
          this.clientHelloSeen = true;
          if (whole && (dir.recFlags & PARSED_HELLO) === 0) {
            dir.recFlags |= PARSED_HELLO;
            this.clientHello = record;
            this.hello(b, body, body + len, false);
          } else if (!whole && body + 2 <= end) this.setVersion(false, (b[body]! << 8) | b[body + 1]!);
          break;
        case 2:
          if (!fromServer) break;
          flags |= SSL_STATE.server_hello;
          this.serverHelloSeen = true;
          if (whole && (dir.recFlags & PARSED_HELLO) === 0) {
            dir.recFlags |= PARSED_HELLO;
            this.hello(b, body, body + len, true);
          } else if (!whole && body + 2 <= end) this.setVersion(true, (b[body]! << 8) | b[body + 1]!);
          break;
        case 12:
          if (fromServer) flags |= SSL_STATE.server_keyx;
          break;
        case 16:
          if (!fromServer) flags |= SSL_STATE.client_keyx;
          break;
        case 0: // hello_request
        case 4: // new_session_ticket
        case 8: // encrypted_extensions
        case 11: // certificate
        case 13: // certificate_request
        case 14: // server_hello_done
        case 15: // certificate_verify
        case 21: // certificate_url
        case 22: // certificate_status
        case 23: // supplemental_data
          break;
        default:
          // An encrypted handshake (Finished after a missed ChangeCipherSpec): nothing more to read.
          p = recEnd;
          break;
      }
      if (p === recEnd) break;
      if (body + len > recEnd) {
        // The message goes on in the next handshake record (a long Certificate).
        if (complete) dir.hsSkip = body + len - recEnd;
        break;
      }
      if (!whole) break;
      p = body + len;
    }
    // Each message counts once, in the first unit that shows it.
    this.cur |= flags & ~dir.recFlags;
    dir.recFlags |= flags;
  }

  /** A ClientHello / ServerHello body: legacy version, then the supported_versions extension (43). */
  private hello(b: Uint8Array, p: number, end: number, fromServer: boolean): void {
    let version = (b[p]! << 8) | b[p + 1]!;
    if (fromServer && this.v2Compat !== 0 && version >> 8 === 3) {
      // The server answered an SSLv2-compatible hello in SSLv3/TLS: the session is not SSLv2 (as Snort).
      this.clientVersion = this.v2Compat;
      this.v2Compat = 0;
    }
    const ext = helloExtensions(b, p, end, fromServer);
    if (ext >= 0) {
      const extEnd = Math.min(end, ext + 2 + ((b[ext]! << 8) | b[ext + 1]!));
      let e = ext + 2;
      while (e + 4 <= extEnd) {
        const type = (b[e]! << 8) | b[e + 1]!;
        const len = (b[e + 2]! << 8) | b[e + 3]!;
        const body = e + 4;
        if (body + len > extEnd) break;
        if (type === 43) {
          if (fromServer) {
            if (len >= 2) version = (b[body]! << 8) | b[body + 1]!;
          } else if (len >= 1) {
            const listEnd = Math.min(body + len, body + 1 + b[body]!);
            for (let v = body + 1; v + 2 <= listEnd; v += 2) {
              const offered = (b[v]! << 8) | b[v + 1]!;
              if (validVersion(offered)) {
                version = offered;
                break;
              }
            }
          }
          break;
        }
        e = body + len;
      }
    }
    this.setVersion(fromServer, version);
  }

  /** Forgets everything (for reuse as a scratch parser). */
  clear(): void {
    this.cur = 0;
    this.curUnit = undefined;
    this.clientVersion = 0;
    this.serverVersion = 0;
    this.versionBits = 0;
    this.clientHello = undefined;
    this.clientHelloSeen = false;
    this.serverHelloSeen = false;
    this.v2Compat = 0;
    for (const d of this.pduDir) d?.clearAll();
    for (const d of this.rawDir) d?.clearAll();
  }

  private setVersion(fromServer: boolean, v: number): void {
    if (fromServer) this.serverVersion = v;
    else this.clientVersion = v;
    this.versionBits = versionBit(this.clientVersion) | versionBit(this.serverVersion);
  }
}

/**
 * Offset of the extensions length field in a hello body starting at `p` (version), or -1 when the hello
 * has no extensions or is cut short.
 */
function helloExtensions(b: Uint8Array, p: number, end: number, fromServer: boolean): number {
  let q = p + 2 + 32; // version, random
  if (q >= end) return -1;
  q += 1 + b[q]!; // session id
  if (fromServer) q += 3; // cipher suite, compression method
  else {
    if (q + 2 > end) return -1;
    q += 2 + ((b[q]! << 8) | b[q + 1]!); // cipher suites
    if (q + 1 > end) return -1;
    q += 1 + b[q]!; // compression methods
  }
  return q + 2 <= end ? q : -1;
}

/** True when `b[p..end)` is a chain of plaintext handshake messages of known types that fills it exactly. */
function plainHandshakes(b: Uint8Array, p: number, end: number): boolean {
  if (p >= end) return false;
  while (p + 4 <= end) {
    const type = b[p]!;
    if (type !== 1 && type !== 2 && type !== 4 && type !== 11 && type !== 12 && type !== 13 && type !== 14 && type !== 15 && type !== 16) return false;
    p += 4 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
  }
  return p === end;
}

/** True when a unit's first bytes look like an SSL/TLS record or an SSLv2 hello (worth keeping state for). */
export function looksLikeTls(d: Uint8Array): boolean {
  if (d.length < 5) return false;
  const t = d[0]!;
  if (t >= 20 && t <= 23) return d[1] === 3 && d[2]! <= 4 && ((d[3]! << 8) | d[4]!) <= MAX_RECORD;
  // SSLv2: 2-byte header with the high bit set, then client hello (1) with version 2 or 3.x, or server hello (4).
  if ((t & 0x80) !== 0) return (d[2] === 1 && (d[3] === 0 || d[3] === 3)) || (d[2] === 4 && d.length >= 7 && d[5] === 0 && d[6] === 2);
  return false;
}

/** The flow's TLS state, if the flow has one. */
export function tlsStateOf(flow: FlowState | undefined): TlsFlowState | undefined {
  return flow?.tls as TlsFlowState | undefined;
}

/** The result of a stateless scan (one object, reused: read it before the next scan). */
export interface TlsScan {
  /** SSL_STATE bits. */
  state: number;
  /** SSL_VERSION bits of the versions seen. */
  versionBits: number;
  /** Wire version of the sender (the hello's, else the record's), 0 if none. */
  version: number;
}

const scratch = [new TlsFlowState(), new TlsFlowState()] as const;
const scan: TlsScan = { state: 0, versionBits: 0, version: 0 };
const NO_UNIT = {} as Packet;

/**
 * Stateless scan of one payload, for packets without a flow and units the flow parser was not fed (raw
 * segments when PDUs are inspected). Without a direction, hellos of either side count.
 *
 * @example
 * if (scanTlsPayload(pkt.payload, undefined).state & SSL_STATE.client_hello) { ... }
 */
export function scanTlsPayload(d: Uint8Array, fromServer: boolean | undefined): TlsScan {
  const [c, s] = scratch;
  c.clear();
  s.clear();
  if (fromServer !== true) c.update(NO_UNIT, d, false, true, 0);
  if (fromServer !== false) s.update(NO_UNIT, d, true, true, 0);
  scan.state = c.cur | s.cur;
  scan.versionBits = versionBit(c.clientVersion) | versionBit(s.serverVersion);
  if (fromServer === true) scan.version = s.serverVersion;
  else if (fromServer === false) scan.version = c.clientVersion;
  else scan.version = (s.cur & SSL_STATE.server_hello) !== 0 && (c.cur & SSL_STATE.client_hello) === 0 ? s.serverVersion : c.clientVersion;
  return scan;
}
