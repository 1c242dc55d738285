import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makePacket } from '../../../../test/ids/packet.js';
import { buildTcpSession, writePcap } from '../../../../test/support/pcap-writer.js';
import { decodePacket } from '../decode/decode.js';
import { runIds } from '../index.js';
import { PacketBuffers } from '../pipeline.js';
import { FlowStreamStage } from '../stream/stream-stage.js';
import type { FlowState, Packet } from '../types.js';
import { DEFAULT_WIZARD, Wizard } from './wizard.js';

const b = (s: string | number[]) => (typeof s === 'string' ? Buffer.from(s, 'latin1') : Uint8Array.from(s));

/** A TCP session: handshake, then each step's data acknowledged by the peer (no FIN). */
function session(sport: number, dport: number, steps: readonly ['c' | 's', Uint8Array][]): Uint8Array[] {
  return buildTcpSession({ client: '10.1.0.1', server: '10.1.0.2', sport, dport, isn: { client: 100, server: 900 }, fin: false }, steps);
}

/** Runs the flow + stream stage and the wizard over frames; returns the first flow's service. */
function serviceOf(frames: readonly Uint8Array[], wizard = new Wizard()): string | undefined {
  const flowStage = new FlowStreamStage(() => new PacketBuffers(), { inspectSegments: false });
  let flow: FlowState | undefined;
  const ctx = { detect: (unit: Packet) => void wizard.onPacket(unit) };
  frames.forEach((f, i) => {
    const pkt = decodePacket({ num: i + 1, tsSec: 1000 + i, tsUsec: 0, linkType: 1, data: f, wireLen: f.length });
    flowStage.onPacket(pkt, new PacketBuffers(), ctx);
    wizard.onPacket(pkt);
    flow ??= pkt.flow;
  });
  return flow?.service;
}

function tlsClientHello(sni: string): Uint8Array {
  const name = b(sni);
  const sniExt = [0, 0, ...u16(name.length + 5), ...u16(name.length + 3), 0, ...u16(name.length), ...name];
  const body = [3, 3, ...new Array(32).fill(7), 0, ...u16(2), 0x13, 0x01, 1, 0, ...u16(sniExt.length), ...sniExt];
  const hs = [1, 0, ...u16(body.length), ...body];
  return b([0x16, 3, 1, ...u16(hs.length), ...hs]);
}

function u16(n: number): number[] {
  return [(n >> 8) & 0xff, n & 0xff];
}

describe('Wizard.detect', () => {
  const w = new Wizard();
  it('names services from the first bytes of either side, like Snort 3 default_wizard', () => {
    expect(w.detect(b('GET /x HTTP/1.1\r\n'), 'client', 6)).toBe('http');
    expect(w.detect(b('HTTP/1.0 200 OK\r\n'), 'server', 6)).toBe('http');
    expect(w.detect(b('SSH-2.0-OpenSSH_9.6\r\n'), 'client', 6)).toBe('ssh');
    expect(w.detect(b('220 mail.example.com ESMTP Postfix\r\n'), 'server', 6)).toBe('smtp');
    expect(w.detect(b('ehlo client\r\n'), 'client', 6)).toBe('smtp');
    expect(w.detect(b('220 (vsFTPd 3.0.3)\r\n'), 'server', 6)).toBe('ftp');
    expect(w.detect(b('220 Welcome to the FTP service\r\n'), 'server', 6)).toBe('ftp');
    expect(w.detect(b('SYST\r\n'), 'client', 6)).toBe('ftp');
    expect(w.detect(b('+OK POP3 ready\r\n'), 'server', 6)).toBe('pop3');
    expect(w.detect(b('* OK IMAP4rev1 ready\r\n'), 'server', 6)).toBe('imap');
    expect(w.detect(b('INVITE sip:bob@example.com SIP/2.0\r\n'), 'client', 17)).toBe('sip');
    expect(w.detect(b('OPTIONS sip:bob@example.com SIP/2.0\r\n'), 'client', 6)).toBe('sip');
    expect(w.detect(b('OPTIONS / HTTP/1.1\r\n'), 'client', 6)).toBe('http');
    expect(w.detect(tlsClientHello('a.example'), 'client', 6)).toBe('ssl');
    expect(w.detect(b([0, 0, 0, 0x45, 0xff, 0x53, 0x4d, 0x42, 0x72]), 'client', 6)).toBe('netbios-ssn');
    expect(w.detect(b([0, 0, 0, 0x45, 0xfe, 0x53, 0x4d, 0x42, 0x40]), 'server', 6)).toBe('netbios-ssn');
    expect(w.detect(b([5, 0, 0x0b, 3, 0x10, 0, 0, 0]), 'client', 6)).toBe('dcerpc');
    expect(w.detect(b([0xff, 0xfd, 0x18]), 'server', 6)).toBe('telnet');
    // DNS over TCP: length prefix, then a standard query with one question.
    const q = [0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 7, ...b('example'), 3, ...b('com'), 0, 0, 1, 0, 1];
    expect(w.detect(b([...u16(q.length), ...q]), 'client', 6)).toBe('dns');
  });

  it('names nothing for data no entry describes, and keeps protocols apart', () => {
    expect(w.detect(b('hello there, nothing to see'), 'client', 6)).toBeUndefined();
    expect(w.detect(b('HTTP/1.1 200 OK'), 'client', 6)).toBeUndefined(); // a response is not client data
    // `** OK` is IMAP's literal "* OK", not "anything, then OK" (an MSN reply); USER alone is ambiguous (IRC).
    expect(w.detect(b('USR 93 OK user@example.com Brian\r\n'), 'server', 6)).toBeUndefined();
    expect(w.detect(b('USER guest 0 * :Guest\r\n'), 'client', 6)).toBeUndefined();
    expect(w.detect(b('SSH-2.0-x'), 'client', 17)).toBeUndefined(); // ssh is a TCP entry
    expect(w.detect(new Uint8Array(0), 'client', 6)).toBeUndefined();
  });

  it('compiles every default entry (hex syntax and wildcards) without throwing', () => {
    expect(() => new Wizard({ table: DEFAULT_WIZARD })).not.toThrow();
    expect(() => new Wizard({ table: [{ service: 'x', kind: 'hex', toServer: ['|ff'] }] })).toThrow(/unclosed/);
  });
});

describe('Wizard fuzz', () => {
  it('never throws on random bytes and mutated spells, and names only services of its table', () => {
    const w = new Wizard();
    const names = new Set(DEFAULT_WIZARD.map((e) => e.service).concat('dns'));
    let x = 7;
    const rnd = (n: number) => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x % n;
    };
    const seeds = ['GET / HTTP/1.1', 'HTTP/1.0 200', 'SSH-2.0-x', '220 x SMTP', '* OK', '\x16\x03\x01\x00\x05', '\x00\x00\x00\x10\xffSMB'];
    for (let i = 0; i < 3000; i++) {
      const d = i % 2 === 0 ? Uint8Array.from({ length: rnd(80) }, () => rnd(256)) : Buffer.from(seeds[rnd(seeds.length)]!, 'latin1');
      if (d.length > 0 && i % 2 === 1) d[rnd(d.length)] = rnd(256);
      for (const side of ['client', 'server'] as const) {
        const svc = w.detect(d, side, rnd(2) === 0 ? 6 : 17);
        if (svc !== undefined) expect(names.has(svc)).toBe(true);
      }
    }
  });
});

describe('Wizard on flows', () => {
  it('gives SSH on port 2222 the service ssh', () => {
    const frames = session(50000, 2222, [
      ['s', b('SSH-2.0-OpenSSH_9.6\r\n')],
      ['c', b('SSH-2.0-PuTTY\r\n')],
    ]);
    expect(serviceOf(frames)).toBe('ssh');
  });

  it('keeps the port hint when the data matches nothing, and names no service without one', () => {
    const junk: ['c' | 's', Uint8Array][] = [
      ['c', b('\x01\x02binary hello')],
      ['s', b('\x09\x08binary reply')],
    ];
    expect(serviceOf(session(50001, 53, junk))).toBe('dns');
    expect(serviceOf(session(50001, 111, junk))).toBe('sunrpc');
    // As Snort 3's default binder: HTTP and TLS are named by content only, not by port.
    expect(serviceOf(session(50002, 80, junk))).toBeUndefined();
    expect(serviceOf(session(50003, 443, junk))).toBeUndefined();
    const w = new Wizard({ ports: { http: [8081] } });
    expect(serviceOf(session(50004, 8081, junk), w)).toBe('http');
    expect(serviceOf(session(50005, 53, junk), w)).toBeUndefined();
    expect(w.counters).toEqual({ byContent: 0, byPort: 1, unknown: 1 });
  });

  it('prefers the content to the port (HTTP on the SSH port)', () => {
    expect(serviceOf(session(50005, 22, [['c', b('GET / HTTP/1.1\r\nHost: x\r\n\r\n')]]))).toBe('http');
  });

  it('leaves a flow alone once another stage named its service', () => {
    const pkt = makePacket({ payload: 'GET / HTTP/1.1\r\n\r\n' });
    const flow: FlowState = { id: 1, established: true, bits: new Set(), clientBytes: 0, serverBytes: 0, service: 'dns' };
    new Wizard().onPacket({ ...pkt, flow, direction: 'client' });
    expect(flow.service).toBe('dns');
  });
});

describe('service detection in the pipeline', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-wizard-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function alerts(frames: readonly Uint8Array[], rules: string): Promise<Record<number, number>> {
    const pcap = join(dir, `w${Math.random().toString(36).slice(2)}.pcap`);
    writePcap(pcap, frames);
    const r = await runIds({ pcaps: [pcap], rules: [{ text: rules, name: 'inline' }], alertMode: 'none', checksums: 'none', portScan: false });
    const out: Record<number, number> = {};
    for (const [k, v] of r.alertsBySid) out[Number(k.split(':')[1])] = v;
    return out;
  }

  it('fires HTTP rules with service:http on port 12345, whatever ports the rule names', async () => {
    const frames = session(40000, 12345, [
      ['c', b('GET /odd-port/admin.php HTTP/1.1\r\nHost: odd\r\n\r\n')],
      ['s', b('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n')],
    ]);
    const rules = [
      'alert tcp any any -> any any (msg:"any ports"; flow:to_server,established; http_uri; content:"/odd-port/"; service:http; sid:1; rev:1;)',
      'alert tcp any any -> any [80,8080] (msg:"http ports"; flow:to_server,established; http_uri; content:"admin.php"; service:http; sid:2; rev:1;)',
      'alert http (msg:"service header"; http_uri; content:"/odd-port/"; sid:3; rev:1;)',
      'alert tcp any any -> any [80,8080] (msg:"ports, no service"; content:"GET /odd-port/"; sid:4; rev:1;)',
      'alert tcp any any -> any any (msg:"other service"; content:"GET /odd-port/"; service:ssl; sid:5; rev:1;)',
    ].join('\n');
    expect(await alerts(frames, rules)).toEqual({ 1: 1, 2: 1, 3: 1 });
  });

  it('reads tls.sni from a ClientHello on port 8443 and names the flow ssl', async () => {
    const frames = session(40001, 8443, [['c', tlsClientHello('vigil.example.org')]]);
    const rules = [
      'alert tcp any any -> any any (msg:"sni"; tls.sni; content:"vigil.example.org"; service:ssl; sid:1; rev:1;)',
      'alert tcp any any -> any [443] (msg:"ssl rule, 443 only"; flow:to_server; content:"|16 03|"; depth:2; service:ssl; sid:2; rev:1;)',
    ].join('\n');
    expect(await alerts(frames, rules)).toEqual({ 1: 1, 2: 1 });
  });
});
