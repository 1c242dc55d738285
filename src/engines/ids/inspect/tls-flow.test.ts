import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTcp, writePcap, type Bytes } from '../../../../test/support/pcap-writer.js';
import { runIds } from '../index.js';
import { BasicFlowStage } from '../pipeline.js';
import type { Packet } from '../types.js';
import { SSL_STATE, SSL_VERSION, TlsFlowState, looksLikeTls, scanTlsPayload } from './tls-flow.js';

const u16 = (n: number) => [n >> 8, n & 0xff];
const u24 = (n: number) => [n >> 16, (n >> 8) & 0xff, n & 0xff];
const record = (type: number, version: number, body: readonly number[]) => [type, ...u16(version), ...u16(body.length), ...body];
const handshake = (type: number, body: readonly number[]) => [type, ...u24(body.length), ...body];
const ext = (type: number, body: readonly number[]) => [...u16(type), ...u16(body.length), ...body];

/** A ClientHello handshake message: legacy version, SNI, optional supported_versions offer. */
function clientHelloMsg(o: { version?: number; sni?: string; offer?: number[] } = {}): number[] {
  const exts: number[] = [];
  if (o.sni !== undefined) {
    const name = [...Buffer.from(o.sni)];
    const entry = [0, ...u16(name.length), ...name];
    exts.push(...ext(0, [...u16(entry.length), ...entry]));
  }
  if (o.offer !== undefined) exts.push(...ext(43, [o.offer.length * 2, ...o.offer.flatMap(u16)]));
  const body = [...u16(o.version ?? 0x0303), ...new Array(32).fill(7), 0, ...u16(4), 0x13, 0x01, 0xc0, 0x2f, 1, 0, ...u16(exts.length), ...exts];
  return handshake(1, body);
}

/** A ServerHello handshake message, with supported_versions when `selected` is given. */
function serverHelloMsg(o: { version?: number; selected?: number } = {}): number[] {
  const exts = o.selected !== undefined ? ext(43, u16(o.selected)) : [];
  const body = [...u16(o.version ?? 0x0303), ...new Array(32).fill(9), 0, 0xc0, 0x2f, 0, ...u16(exts.length), ...exts];
  return handshake(2, body);
}

const certificateMsg = (text: string) => {
  const cert = [0x30, 0x82, ...u16(text.length), ...Buffer.from(text)];
  return handshake(11, [...u24(cert.length + 3), ...u24(cert.length), ...cert]);
};
const serverHelloDone = handshake(14, []);

const C = { src: '10.0.0.1', dst: '192.168.1.2', sport: 40000, dport: 443 };
const S = { src: '192.168.1.2', dst: '10.0.0.1', sport: 443, dport: 40000 };

/** A TCP session: handshake, then each payload from its side with correct sequence numbers, then FINs. */
function session(parts: readonly (readonly ['c' | 's', readonly number[]])[]): Bytes[] {
  let cs = 1000;
  let ss = 5000;
  const frames: Bytes[] = [buildTcp({ ...C, flags: 'S', seq: cs - 1 }), buildTcp({ ...S, flags: 'SA', seq: ss - 1, ack: cs }), buildTcp({ ...C, flags: 'A', seq: cs, ack: ss })];
  for (const [side, data] of parts) {
    const payload = Uint8Array.from(data);
    if (side === 'c') {
      frames.push(buildTcp({ ...C, flags: 'PA', seq: cs, ack: ss, payload }));
      cs += payload.length;
    } else {
      frames.push(buildTcp({ ...S, flags: 'PA', seq: ss, ack: cs, payload }));
      ss += payload.length;
    }
  }
  frames.push(buildTcp({ ...C, flags: 'FA', seq: cs, ack: ss }), buildTcp({ ...S, flags: 'FA', seq: ss, ack: cs + 1 }), buildTcp({ ...C, flags: 'A', seq: cs + 1, ack: ss + 1 }));
  return frames;
}

const dir = mkdtempSync(join(tmpdir(), 'vigil-tls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** Runs `rules` (one text, one dialect) over the session and returns alerts per sid. */
async function alerts(frames: Bytes[], rules: string, perPacket = false): Promise<Record<number, number>> {
  const pcap = join(dir, `s${n++}.pcap`);
  writePcap(pcap, frames);
  const r = await runIds({ pcaps: [pcap], rules: [{ text: rules, name: 'inline' }], alertMode: 'none', checksums: 'none', ...(perPacket ? { stages: [new BasicFlowStage()] } : {}) });
  const out: Record<number, number> = {};
  for (const [k, v] of r.alertsBySid) out[Number(k.split(':')[1])] = v;
  return out;
}

const rule = (sid: number, body: string, dirn = 'any any -> any any') => `alert tcp ${dirn} (msg:"t${sid}"; ${body} sid:${sid}; rev:1;)`;

// TLS 1.2 handshake pieces.
const ch12 = record(22, 0x0301, clientHelloMsg({ sni: 'split.example.com' }));
const shFlight12 = record(22, 0x0303, [...serverHelloMsg(), ...certificateMsg('MyCompany Ltd'), ...serverHelloDone]);
const ckx = record(22, 0x0303, handshake(16, [0, 2, 1, 2]));
const ccs = (v: number) => record(20, v, [1]);
const app = (v: number, len: number) => record(23, v, new Array(len).fill(0xaa));

describe('ssl_state / ssl_version / tls.version across packets', () => {
  it('sees a ClientHello split over two segments, in PDUs and packet by packet, and reads its SNI', async () => {
    const frames = session([
      ['c', ch12.slice(0, 30)],
      ['c', ch12.slice(30)],
      ['s', shFlight12],
    ]);
    const rules = [
      rule(1, 'flow:to_server; ssl_state:client_hello;'),
      rule(2, 'flow:to_server; ssl_state:client_hello; ssl_version:tls1.2;'),
      rule(3, 'flow:to_server; ssl_state:server_hello;'),
    ].join('\n');
    expect(await alerts(frames, rules)).toEqual({ 1: 1, 2: 1 });
    // Per packet (no reassembly): the first segment shows the ClientHello header (and its version).
    expect(await alerts(frames, rules, true)).toEqual({ 1: 1, 2: 1 });
    const sni = 'alert tls any any -> any any (msg:"sni"; tls.sni; content:"split.example.com"; sid:9; rev:1;)';
    expect(await alerts(frames, sni)).toEqual({ 9: 1 });
  });

  it('matches server_hello with content in the Certificate of the same PDU, and not other states', async () => {
    const frames = session([
      ['c', ch12],
      ['s', shFlight12],
      ['c', [...ckx, ...ccs(0x0303)]],
    ]);
    const rules = [
      rule(1, 'flow:to_client,established; ssl_state:server_hello; content:"MyCompany Ltd";'),
      rule(2, 'flow:to_client; ssl_state:server_keyx;'),
      rule(3, 'flow:to_client; ssl_state:client_hello;'),
      rule(4, 'flow:to_server; ssl_state:client_keyx;'),
      rule(5, 'flow:to_client; ssl_version:tls1.2; ssl_state:server_hello;'),
    ].join('\n');
    expect(await alerts(frames, rules)).toEqual({ 1: 1, 4: 1, 5: 1 });
  });

  it('recognises TLS 1.3 from supported_versions: 1.3 matches, 1.2 does not', async () => {
    const frames = session([
      ['c', record(22, 0x0301, clientHelloMsg({ offer: [0x0a0a, 0x0304, 0x0303], sni: 'tls13.example' }))],
      ['s', [...record(22, 0x0303, serverHelloMsg({ selected: 0x0304 })), ...ccs(0x0303), ...app(0x0303, 40)]],
      ['c', [...ccs(0x0303), ...app(0x0303, 30)]],
    ]);
    const snort = [
      rule(1, 'flow:to_client; ssl_state:server_hello; ssl_version:tls1.3;'),
      rule(2, 'flow:to_client; ssl_state:server_hello; ssl_version:tls1.2;'),
      rule(3, 'flow:to_client; ssl_state:server_hello; ssl_version:!tls1.2;'),
    ].join('\n');
    expect(await alerts(frames, snort)).toEqual({ 1: 1, 3: 1 });
    const suricata = [
      'alert tls any any -> any any (msg:"a"; flow:to_client; tls.version:1.3; sid:11; rev:1;)',
      'alert tls any any -> any any (msg:"b"; flow:to_client; tls.version:1.2; sid:12; rev:1;)',
      'alert tls any any -> any any (msg:"c"; flow:to_server; tls.version:1.3; sid:13; rev:1;)',
      'alert tls any any -> any any (msg:"d"; flow:to_client; tls.version:0x0304; sid:14; rev:1;)',
      'alert tls any any -> any any (msg:"e"; flow:to_client; ssl_version:tls1.3; sid:15; rev:1;)',
    ].join('\n');
    // Two client PDUs (ClientHello, then CCS + data) and one server PDU.
    expect(await alerts(frames, suricata)).toEqual({ 11: 1, 13: 2, 14: 1, 15: 1 });
  });

  it('keeps TLS 1.2 a 1.2 session for every option', async () => {
    const frames = session([
      ['c', ch12],
      ['s', shFlight12],
    ]);
    const suricata = [
      'alert tls any any -> any any (msg:"a"; flow:to_client; tls.version:1.2; sid:1; rev:1;)',
      'alert tls any any -> any any (msg:"b"; flow:to_client; tls.version:1.3; sid:2; rev:1;)',
      'alert tls any any -> any any (msg:"c"; flow:to_server; ssl_version:tls1.2; sid:3; rev:1;)',
    ].join('\n');
    expect(await alerts(frames, suricata)).toEqual({ 1: 1, 3: 1 });
  });

  it('applies negations and alternatives as Snort does, and never matches a flow without SSL/TLS', async () => {
    const frames = session([
      ['c', ch12],
      ['s', shFlight12],
    ]);
    const rules = [
      rule(1, 'ssl_state:!client_hello;'), // the server PDU
      rule(2, 'ssl_state:client_hello,!server_hello;'), // the client PDU (the server's has server_hello)
      rule(3, 'ssl_state:!client_hello,!server_hello;'), // each PDU lacks one of them: both
      rule(4, 'ssl_state:server_keyx|client_keyx;'),
    ].join('\n');
    expect(await alerts(frames, rules)).toEqual({ 1: 1, 2: 1, 3: 2 });
    const http = session([
      ['c', [...Buffer.from('GET / HTTP/1.0\r\n\r\n')]],
      ['s', [...Buffer.from('HTTP/1.0 200 OK\r\n\r\n')]],
    ]);
    expect(await alerts(http, [rule(1, 'ssl_state:!client_hello;'), rule(2, 'ssl_version:!tls1.2;')].join('\n'))).toEqual({});
  });

  it('matches an SSLv2 ClientHello like the community rule, and ends the v2 session there', async () => {
    const v2hello = [0x80, 0x2e, 0x01, 0x00, 0x02, 0x00, 0x15, 0x00, 0x00, 0x00, 0x10, ...new Array(21).fill(1), ...new Array(16).fill(2)];
    const frames = session([
      ['c', v2hello],
      ['s', [0x80, 0x10, 0x04, 0x00, 0x01, 0x00, 0x02, ...new Array(11).fill(3)]],
      ['c', [0x80, 0x05, 0x99, 1, 2, 3, 4]],
    ]);
    const rules = [
      rule(2656, 'flow:to_server,established; ssl_version:sslv2; ssl_state:client_hello; content:"|01 00 02|",depth 3,offset 2; byte_test:1,>,127,0;', 'any any -> any 443'),
      rule(2, 'flow:to_client; ssl_state:server_hello; ssl_version:sslv2;'),
      rule(3, 'ssl_version:tls1.0,tls1.1,tls1.2,sslv3;'),
    ].join('\n');
    expect(await alerts(frames, rules)).toEqual({ 2656: 1, 2: 1 });
  });
});

describe('TlsFlowState', () => {
  const unit = () => ({}) as Packet;

  it('follows an SSLv2-compatible hello into SSLv3/TLS records once the server answers in TLS', () => {
    const t = new TlsFlowState();
    t.update(unit(), Uint8Array.from([0x80, 0x2e, 0x01, 0x03, 0x01, 0x00, 0x15, 0x00, 0x00, 0x00, 0x10, ...new Array(37).fill(1)]), false, true, 0);
    expect([t.cur, t.versionBits]).toEqual([SSL_STATE.client_hello, SSL_VERSION.sslv2]);
    t.update(unit(), Uint8Array.from(record(22, 0x0301, serverHelloMsg({ version: 0x0301 }))), true, true, 0);
    expect([t.clientVersion, t.serverVersion, t.versionBits]).toEqual([0x0301, 0x0301, SSL_VERSION['tls1.0']]);
    t.update(unit(), Uint8Array.from(record(22, 0x0301, handshake(16, [0, 2, 1, 2]))), false, true, 0);
    expect(t.cur).toBe(SSL_STATE.client_keyx);
  });

  it('completes a record header split after 3 bytes and skips application data by length', () => {
    const t = new TlsFlowState();
    const bytes = [...ch12, ...app(0x0303, 3000), ...ckx];
    const u1 = unit();
    t.update(u1, Uint8Array.from(bytes.slice(0, 3)), false, true, 0);
    expect(t.cur).toBe(0);
    t.update(unit(), Uint8Array.from(bytes.slice(3, ch12.length + 100)), false, true, 0);
    expect(t.cur).toBe(SSL_STATE.client_hello);
    expect(Buffer.from(t.clientHello!).subarray(0, 5)).toEqual(Buffer.from(ch12.slice(0, 5)));
    t.update(unit(), Uint8Array.from(bytes.slice(ch12.length + 100)), false, true, 0);
    expect(t.cur).toBe(SSL_STATE.client_keyx);
    expect(t.versionBits).toBe(SSL_VERSION['tls1.2']);
  });

  it('skips retransmitted raw bytes and resynchronises after a gap', () => {
    const t = new TlsFlowState();
    const d = Uint8Array.from(ch12);
    // The ClientHello counts in the first segment that shows its header (as Snort reads a partial record).
    t.update(unit(), d.subarray(0, 20), false, false, 100);
    expect(t.cur).toBe(SSL_STATE.client_hello);
    t.update(unit(), d.subarray(0, 20), false, false, 100); // retransmission: nothing new
    expect(t.cur).toBe(0);
    t.update(unit(), d.subarray(10), false, false, 110); // overlaps 10 bytes, completes the record
    expect(t.cur).toBe(0);
    expect(t.clientHello?.length).toBe(d.length);
    // Lost bytes: the next segment starts a fresh record.
    t.update(unit(), Uint8Array.from(ckx), false, false, 100 + d.length + 500);
    expect(t.cur).toBe(SSL_STATE.client_keyx);
  });

  it('counts each message of a handshake record spanning units once, in the unit that shows its header', () => {
    const t = new TlsFlowState();
    const flight = Uint8Array.from(record(22, 0x0303, [...serverHelloMsg({ selected: 0x0304 }), ...certificateMsg('x'.repeat(300)), ...handshake(12, [3, 0, 29]), ...serverHelloDone]));
    const cut = flight.length - 20; // the capture ends inside the certificate... then the rest arrives
    t.update(unit(), flight.subarray(0, 120), true, true, 0);
    expect(t.cur).toBe(SSL_STATE.server_hello);
    expect(t.serverVersion).toBe(0x0304);
    t.update(unit(), flight.subarray(120, cut), true, true, 0);
    expect(t.cur).toBe(0);
    t.update(unit(), flight.subarray(cut), true, true, 0);
    expect(t.cur).toBe(SSL_STATE.server_keyx);
  });

  it('marks bytes that are not SSL/TLS unknown and stops parsing that direction', () => {
    const t = new TlsFlowState();
    t.update(unit(), Uint8Array.from([...ch12, 0x47, 0x45, 0x54, 0x20, 0x2f, 0x20]), false, true, 0);
    expect(t.cur).toBe(SSL_STATE.client_hello | SSL_STATE.unknown);
    t.update(unit(), Uint8Array.from(ckx), false, true, 0);
    expect(t.cur).toBe(0);
  });

  it('after ChangeCipherSpec skips an encrypted Finished but reads a TLS 1.3 second ClientHello', () => {
    const t = new TlsFlowState();
    // An encrypted Finished whose first byte happens to be 16 (client_key_exchange).
    const finished = record(22, 0x0303, [16, 0x9a, 0x33, 0x01, ...new Array(36).fill(0x5c)]);
    t.update(unit(), Uint8Array.from([...ccs(0x0303), ...finished]), false, true, 0);
    expect(t.cur).toBe(0);
    // HelloRetryRequest: the client sends ChangeCipherSpec (compatibility mode), then a new ClientHello.
    const h = new TlsFlowState();
    h.update(unit(), Uint8Array.from(record(22, 0x0301, clientHelloMsg({ offer: [0x0304] }))), false, true, 0);
    h.update(unit(), Uint8Array.from([...ccs(0x0303), ...record(22, 0x0303, clientHelloMsg({ offer: [0x0304] }))]), false, true, 0);
    expect(h.cur).toBe(SSL_STATE.client_hello);
    expect(h.clientVersion).toBe(0x0304);
  });

  it('tells SSL/TLS starts from other data', () => {
    expect(looksLikeTls(Uint8Array.from(ch12))).toBe(true);
    expect(looksLikeTls(Buffer.from('GET / HTTP/1.1\r\n'))).toBe(false);
    expect(looksLikeTls(Uint8Array.from([0x80, 0x2e, 0x01, 0x00, 0x02]))).toBe(true);
    expect(scanTlsPayload(Uint8Array.from(ch12), undefined)).toEqual({ state: SSL_STATE.client_hello, versionBits: SSL_VERSION['tls1.2'] | SSL_VERSION['tls1.0'], version: 0x0303 });
  });

  it('never throws on mutated or cut records', () => {
    let x = 7;
    const seeds = [ch12, shFlight12, [...ccs(0x0303), ...app(0x0303, 50)]];
    for (let i = 0; i < 3000; i++) {
      const b = Uint8Array.from(seeds[i % seeds.length]!);
      for (let k = 0; k < 4; k++) {
        x = (x * 1103515245 + 12345) >>> 0;
        b[x % b.length] = x >>> 24;
      }
      const t = new TlsFlowState();
      const cut = 1 + (x % b.length);
      expect(() => {
        t.update(unit(), b.subarray(0, cut), i % 2 === 1, true, 0);
        t.update(unit(), b.subarray(cut), i % 2 === 1, true, 0);
      }).not.toThrow();
    }
  });
});
