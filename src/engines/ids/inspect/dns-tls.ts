/**
 * Per-packet DNS and TLS inspectors for the buffers ET's rules use most after HTTP:
 *   - `dns_query` (Suricata `dns.query` / `dns_query`): the first question's name, labels joined by dots,
 *     from DNS queries over UDP or TCP (2-byte length prefix) on the DNS ports (53, 5353 mDNS, 5355 LLMNR);
 *   - `tls_sni` (`tls.sni`): the server_name of a TLS ClientHello, on any port.
 * Both validate the structure strictly (a malformed or truncated message sets no buffer) and mark the
 * flow's service ('dns', 'tls'). DNS is read one packet or PDU at a time. TCP flows whose data starts
 * like SSL/TLS get per-flow TLS state (tls-flow.ts: records followed across units, each side's version,
 * the handshake messages of the current unit) for `ssl_state`, `ssl_version` and `tls.version`; the SNI
 * of a ClientHello split over segments is read once its record is whole.
 */
import type { FlowState, Packet } from '../types.js';
import type { BufferSink } from './http.js';
import { SSL_STATE, TlsFlowState, looksLikeTls } from './tls-flow.js';

const DNS_PORTS = new Set([53, 5353, 5355]);

/** Counters for stats and tests. */
export interface DnsTlsCounters {
  dnsQueries: number;
  tlsClientHellos: number;
  /** Flows given SSL/TLS state. */
  tlsFlows: number;
}

/**
 * Fills `dns_query` and `tls_sni`.
 *
 * @example
 * new DnsTlsInspector().onPacket(pkt, buffers); // buffers.get('dns_query') -> 'www.example.com'
 */
export class DnsTlsInspector {
  readonly name = 'inspect-dns-tls';
  readonly counters: DnsTlsCounters = { dnsQueries: 0, tlsClientHellos: 0, tlsFlows: 0 };
  /**
   * Set once a reassembled PDU was seen: TCP data then reaches detection as PDUs, and the flow state is
   * fed from them alone (raw segments keep the stateless per-packet reading).
   */
  private streamUnits = false;

  onPacket(pkt: Packet, buffers: BufferSink): boolean {
    const d = pkt.payload;
    if (d.length === 0) return true;
    if (pkt.udp !== undefined) {
      if (DNS_PORTS.has(pkt.dstPort) || DNS_PORTS.has(pkt.srcPort)) this.dns(pkt, d, buffers);
    } else if (pkt.tcp !== undefined) {
      if (pkt.flow !== undefined && this.tlsFlow(pkt, pkt.flow, d, buffers)) return true;
      if (d[0] === 0x16 && d.length > 47) this.tls(pkt, d, buffers);
      else if ((pkt.dstPort === 53 || pkt.srcPort === 53) && d.length > 14) {
        const len = (d[0]! << 8) | d[1]!;
        if (len >= 12 && len <= d.length - 2) this.dns(pkt, d.subarray(2, 2 + len), buffers);
      }
    }
    return true;
  }

  private dns(pkt: Packet, d: Uint8Array, buffers: BufferSink): void {
    const name = dnsQueryName(d);
    if (name === undefined) return;
    buffers.set('dns_query', name);
    this.counters.dnsQueries++;
    if (pkt.flow !== undefined) pkt.flow.service ??= 'dns';
  }

  /** Feeds the flow's TLS state; returns true when the unit was handled (SNI included). */
  private tlsFlow(pkt: Packet, flow: FlowState, d: Uint8Array, buffers: BufferSink): boolean {
    const pdu = pkt.reassembled === true;
    if (pdu) this.streamUnits = true;
    let t = flow.tls as TlsFlowState | undefined;
    if (t === undefined) {
      const svc = flow.service;
      if ((svc !== undefined && svc !== 'tls' && svc !== 'ssl') || !looksLikeTls(d)) return false;
      flow.tls = t = new TlsFlowState();
      this.counters.tlsFlows++;
    }
    if (!pdu && this.streamUnits) return false;
    t.update(pkt, d, pkt.direction === 'server', pdu, pkt.tcp!.seq);
    const hello = t.clientHello;
    if (hello !== undefined && hello.length > 47) this.tls(pkt, hello, buffers);
    // A hello from either side names the service (a session picked up at its ServerHello too).
    if ((t.cur & (SSL_STATE.client_hello | SSL_STATE.server_hello)) !== 0) flow.service ??= 'tls';
    return true;
  }

  private tls(pkt: Packet, d: Uint8Array, buffers: BufferSink): void {
    const sni = tlsServerName(d);
    if (sni === undefined) return;
    this.counters.tlsClientHellos++;
    if (pkt.flow !== undefined) pkt.flow.service ??= 'tls';
    if (sni.length > 0) buffers.set('tls_sni', sni);
  }
}

/**
 * The first question name of a DNS query message (QR = 0), as `a.b.c`, or undefined when the message
 * is not a well-formed query. Compression pointers are not allowed in a question's first name.
 */
export function dnsQueryName(d: Uint8Array): Uint8Array | undefined {
  if (d.length < 17) return undefined;
  const flags = (d[2]! << 8) | d[3]!;
  if ((flags & 0x8000) !== 0 || ((flags >> 11) & 0xf) > 2) return undefined; // responses, odd opcodes
  const qd = (d[4]! << 8) | d[5]!;
  if (qd < 1 || qd > 16) return undefined;
  // First pass: validate and measure (no array per packet); second: copy the labels.
  let pos = 12;
  let size = 0;
  for (;;) {
    if (pos >= d.length) return undefined;
    const len = d[pos]!;
    if (len === 0) {
      pos++;
      break;
    }
    if (len > 63 || pos + 1 + len > d.length) return undefined;
    size += size > 0 ? len + 1 : len;
    pos += 1 + len;
    if (size > 255) return undefined;
  }
  if (pos + 4 > d.length) return undefined; // QTYPE + QCLASS
  const out = new Uint8Array(size);
  let o = 0;
  for (let p = 12; d[p] !== 0; p += 1 + d[p]!) {
    if (o > 0) out[o++] = 0x2e;
    for (let i = p + 1, e = p + 1 + d[p]!; i < e; i++) out[o++] = d[i]!;
  }
  return out;
}

/**
 * The server_name of a TLS ClientHello record: the name bytes, an empty array for a ClientHello
 * without SNI, or undefined when the record is not a well-formed ClientHello.
 */
export function tlsServerName(d: Uint8Array): Uint8Array | undefined {
  // record: type 22, version 3.x, length; handshake: type 1 (ClientHello), 3-byte length
  if (d[0] !== 0x16 || d[1] !== 0x03 || d[2]! > 0x04 || d[5] !== 0x01) return undefined;
  const end = Math.min(d.length, 5 + ((d[3]! << 8) | d[4]!));
  let pos = 9 + 2 + 32; // handshake header, client_version, random
  if (pos >= end) return undefined;
  pos += 1 + d[pos]!; // session id
  if (pos + 2 > end) return undefined;
  pos += 2 + ((d[pos]! << 8) | d[pos + 1]!); // cipher suites
  if (pos + 1 > end) return undefined;
  pos += 1 + d[pos]!; // compression methods
  if (pos + 2 > end) return pos === end ? new Uint8Array(0) : undefined;
  const extEnd = Math.min(end, pos + 2 + ((d[pos]! << 8) | d[pos + 1]!));
  pos += 2;
  while (pos + 4 <= extEnd) {
    const type = (d[pos]! << 8) | d[pos + 1]!;
    const len = (d[pos + 2]! << 8) | d[pos + 3]!;
    const body = pos + 4;
    if (body + len > extEnd) return undefined;
    if (type === 0 && len >= 5) {
      // server_name_list: 2-byte list length, then entries of type(1) + length(2) + name
      let p = body + 2;
      const listEnd = Math.min(body + len, body + 2 + ((d[body]! << 8) | d[body + 1]!));
      while (p + 3 <= listEnd) {
        const nameType = d[p]!;
        const nameLen = (d[p + 1]! << 8) | d[p + 2]!;
        if (p + 3 + nameLen > listEnd) return undefined;
        if (nameType === 0) return d.subarray(p + 3, p + 3 + nameLen);
        p += 3 + nameLen;
      }
      return undefined;
    }
    pos = body + len;
  }
  return new Uint8Array(0);
}
