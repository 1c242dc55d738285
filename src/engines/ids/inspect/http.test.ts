import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { makePacket } from '../../../../test/ids/packet.js';
import { buildTcpSession, writePcap, type TcpSessionStep } from '../../../../test/support/pcap-writer.js';
import { runIds } from '../index.js';
import { PacketBuffers } from '../pipeline.js';
import { FlowStreamStage } from '../stream/stream-stage.js';
import { HttpInspector, normaliseUri } from './http.js';
import { Wizard } from './wizard.js';

function inspect(payload: string | Uint8Array, http = new HttpInspector()): Map<string, string> {
  const bufs = new Map<string, string>();
  const pkt = makePacket({ payload });
  http.onPacket(pkt, { set: (name, data) => bufs.set(name, Buffer.from(data).toString('latin1')) });
  return bufs;
}

const text = (s: string) => Buffer.from(normaliseUri(Buffer.from(s, 'latin1'))).toString('latin1');

describe('normaliseUri', () => {
  it('decodes %XX and %uXXXX, turns backslashes into slashes and resolves dot segments and double slashes', () => {
    expect(text('/a/./b/../%63md.exe')).toBe('/a/cmd.exe');
    expect(text('/scripts/..%5c..%5cwinnt/system32/cmd.exe?/c+dir')).toBe('/winnt/system32/cmd.exe?/c+dir');
    expect(text('//etc///passwd')).toBe('/etc/passwd');
    expect(text('/%u0061dmin/')).toBe('/admin/');
    expect(text('/x?q=%2e%2e/%2e%2e')).toBe('/x?q=../..');
    expect(text('/bad%zzescape')).toBe('/bad%zzescape');
  });

  it('returns a URI that needs no normalisation as it is, and copies one with a dot that is no dot segment unchanged', () => {
    const plain = Buffer.from('/index.php?next=//x/./y', 'latin1');
    expect(normaliseUri(plain)).toBe(plain);
    expect(text('/a/.hidden/b.')).toBe('/a/.hidden/b.');
    expect(text('/a/b/.')).toBe('/a/b');
  });
});

describe('HttpInspector', () => {
  it('fills the request buffers from a request packet', () => {
    const b = inspect('GET /dvwa/../etc/%70asswd?x=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: sqlmap/1.0\r\nCookie: PHPSESSID=abc; security=low\r\n\r\n');
    expect(b.get('http_method')).toBe('GET');
    expect(b.get('http_raw_uri')).toBe('/dvwa/../etc/%70asswd?x=1');
    expect(b.get('http_uri')).toBe('/etc/passwd?x=1');
    expect(b.get('http_host')).toBe('example.com');
    expect(b.get('http_user_agent')).toBe('sqlmap/1.0');
    expect(b.get('http_cookie')).toBe('PHPSESSID=abc; security=low');
    expect(b.get('http_header')).toContain('Host: example.com\r\n');
    expect(b.get('http_header')).not.toContain('GET ');
    expect(b.has('http_client_body')).toBe(false);
  });

  it('matches header names in any case, trims them, and lists them as sent in http_header_names', () => {
    const b = inspect('GET / HTTP/1.1\r\nHOST: h.example\r\n uSeR-AgEnT : ua/1\r\nX-Custom: 1\r\nCoOkIe: c=1\r\nSet-Cookie: no\r\nHostile: no\r\n\r\n');
    expect(b.get('http_host')).toBe('h.example');
    expect(b.get('http_raw_host')).toBe('h.example');
    expect(b.get('http_user_agent')).toBe('ua/1');
    // A request's Set-Cookie is not a cookie; a longer name that starts like a known one is not it.
    expect(b.get('http_cookie')).toBe('c=1');
    expect(b.get('http_header_names')).toBe('\r\nHOST\r\nuSeR-AgEnT\r\nX-Custom\r\nCoOkIe\r\nSet-Cookie\r\nHostile\r\n\r\n');
  });

  it('takes the request body that follows the headers in the same packet', () => {
    const b = inspect('POST /login.php HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\nuser=admin&pass=x');
    expect(b.get('http_client_body')).toBe('user=admin&pass=x');
    expect(b.get('http_content_type')).toBe('application/x-www-form-urlencoded');
  });

  it('fills status buffers and file_data from a response, de-chunked and gunzipped', () => {
    const body = gzipSync(Buffer.from('<html>evil.js</html>'));
    const chunked = Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
    const http = new HttpInspector();
    const b = inspect(Buffer.concat([Buffer.from('HTTP/1.1 404 Not Found\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\nServer: nginx\r\n\r\n'), chunked]), http);
    expect(b.get('http_stat_code')).toBe('404');
    expect(b.get('http_stat_msg')).toBe('Not Found');
    expect(b.get('http_server')).toBe('nginx');
    expect(b.get('file_data')).toBe('<html>evil.js</html>');
    expect(http.counters).toMatchObject({ responses: 1, decompressed: 1 });
  });

  it('inflates as much of a gzip body as the packet holds', () => {
    const body = gzipSync(Buffer.from('A'.repeat(5000) + 'MARKER' + 'B'.repeat(5000)));
    const b = inspect(Buffer.concat([Buffer.from('HTTP/1.0 200 OK\r\nContent-Encoding: gzip\r\n\r\n'), body.subarray(0, body.length - 8)]));
    expect(b.get('file_data')).toContain('MARKER');
  });

  it('leaves non-HTTP payloads and unknown methods alone', () => {
    expect(inspect('SSH-2.0-OpenSSH_8.9\r\n').size).toBe(0);
    expect(inspect('FOO /x HTTP/1.1\r\n\r\n').size).toBe(0);
    expect(inspect('GET /x NOTHTTP\r\n').size).toBe(0);
  });

  it('never throws on random bytes or truncated messages', () => {
    let x = 3;
    const http = new HttpInspector();
    const seeds = ['GET / HTTP/1.1\r\nHost: a\r\n\r\nbody', 'HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\nff\r\nxx'];
    for (let i = 0; i < 2000; i++) {
      const base = Buffer.from(seeds[i % 2]!);
      const b = Buffer.from(base.subarray(0, 1 + (i % base.length)));
      for (let k = 0; k < 3; k++) {
        x = (x * 1103515245 + 12345) >>> 0;
        b[x % b.length] = x >>> 24;
      }
      expect(() => inspect(b, http)).not.toThrow();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Per-transaction inspection through the real pipeline (packets built with pcap-writer).
// ---------------------------------------------------------------------------------------------

type Step = TcpSessionStep;

/**
 * A TCP session on `40000 -> dport`: handshake, the data steps (each acknowledged by the peer, so each
 * becomes a PDU of its own), FINs. 'c-retx' resends the previous client segment.
 */
function session(steps: readonly Step[], dport = 80, opts: { fin?: boolean } = {}): Uint8Array[] {
  return buildTcpSession({ client: '10.0.0.1', server: '10.0.0.2', sport: 40000, dport, isn: { client: 1000, server: 5000 }, fin: opts.fin }, steps);
}

const dir = mkdtempSync(join(tmpdir(), 'vigil-http-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let pcapNo = 0;

async function alertsOf(frames: readonly Uint8Array[], rules: string, extra: Partial<Parameters<typeof runIds>[0]> = {}): Promise<Record<number, number>> {
  const pcap = join(dir, `t${pcapNo++}.pcap`);
  writePcap(pcap, frames);
  const r = await runIds({ pcaps: [pcap], rules: [{ text: rules, name: 'inline' }], alertMode: 'none', checksums: 'none', portScan: false, eventQueue: { log: 16, maxQueue: 16, orderEvents: 'content_length' }, ...extra });
  const out: Record<number, number> = {};
  for (const [k, v] of r.alertsBySid) out[Number(k.split(':')[1])] = v;
  return out;
}

// `service:http` also makes the loader read the text as Snort 3 rules (sticky buffers).
const rule = (sid: number, body: string, hdr = 'tcp any any -> any any') => `alert ${hdr} (msg:"t${sid}"; ${body} service:http; sid:${sid}; rev:1;)`;

describe('HttpInspector per transaction', () => {
  it('inspects a header block that arrives in 5 segments exactly once, when it is complete', async () => {
    const req = 'GET /five/parts.php?id=1 HTTP/1.1\r\nHost: five.example\r\nUser-Agent: split-agent\r\nX-Long: ' + 'a'.repeat(40) + '\r\n\r\n';
    const cut = [0, 9, 30, 52, 80, req.length];
    const steps: Step[] = cut.slice(1).map((end, i) => ['c', req.slice(cut[i], end)] as Step);
    const frames = session([...steps, ['s', 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n']]);
    const rules = [
      rule(1, 'flow:to_server; http_uri; content:"/five/parts.php";'),
      rule(2, 'flow:to_server; http_header; content:"split-agent";'),
      rule(3, 'flow:to_server; content:"GET /five";'), // pkt_data of the header section
      rule(4, 'flow:to_server; http_user_agent; content:"split-agent"; http_host; content:"five.example";'),
    ].join('\n');
    expect(await alertsOf(frames, rules)).toEqual({ 1: 1, 2: 1, 3: 1, 4: 1 });
  });

  it('inspects two pipelined requests in one segment once each', async () => {
    const frames = session([
      ['c', 'GET /pipe/one HTTP/1.1\r\nHost: a\r\n\r\nGET /pipe/two HTTP/1.1\r\nHost: a\r\n\r\n'],
      ['s', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n'],
    ]);
    const rules = [
      rule(1, 'flow:to_server; http_uri; content:"/pipe/";'),
      rule(2, 'flow:to_server; content:"GET"; depth:3;'), // each request starts its own section
      // Responses are paired with their requests: the second response carries the second URI.
      rule(3, 'flow:to_client; http_stat_code; content:"404"; http_uri; content:"/pipe/two";'),
      rule(4, 'flow:to_client; http_stat_code; content:"404"; http_uri; content:"/pipe/one";'),
    ].join('\n');
    expect(await alertsOf(frames, rules)).toEqual({ 1: 2, 2: 2, 3: 1 });
  });

  it('inspects a retransmitted request once', async () => {
    const frames = session([['c', 'GET /retx HTTP/1.1\r\nHost: r\r\n\r\n'], ['c-retx', ''], ['s', 'HTTP/1.1 204 No Content\r\n\r\n']]);
    // No direction in the rule: the paired response does not fire it again either.
    expect(await alertsOf(frames, rule(1, 'http_uri; content:"/retx";'))).toEqual({ 1: 1 });
  });

  it('de-chunks and gunzips a response body split over segments and matches file_data once', async () => {
    const text = 'x'.repeat(3000) + 'EVIL-MARKER-IN-BODY' + 'y'.repeat(3000);
    const gz = gzipSync(Buffer.from(text));
    const half = Math.floor(gz.length / 2);
    const chunk = (b: Uint8Array) => Buffer.concat([Buffer.from(`${b.length.toString(16)}\r\n`), b, Buffer.from('\r\n')]);
    const body = Buffer.concat([chunk(gz.subarray(0, half)), chunk(gz.subarray(half)), Buffer.from('0\r\n\r\n')]);
    const head = 'HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n';
    const wire = Buffer.concat([Buffer.from(head), body]);
    const cuts = [0, head.length + 10, head.length + half, wire.length];
    const frames = session([['c', 'GET /gz HTTP/1.1\r\nHost: g\r\n\r\n'], ...cuts.slice(1).map((e, i) => ['s', wire.subarray(cuts[i], e)] as Step)]);
    const rules = [
      rule(1, 'flow:to_client; file_data; content:"EVIL-MARKER-IN-BODY";'),
      rule(2, 'flow:to_client; http_stat_code; content:"200";'),
      rule(3, 'flow:to_client; file_data; content:"xxxxxxxxxx";'),
    ].join('\n');
    // One body section (the body is under 16 KiB): each rule fires once.
    expect(await alertsOf(frames, rules)).toEqual({ 1: 1, 2: 1, 3: 1 });
  });

  it('inspects the headers of a request whose body is still arriving, then its body with them', async () => {
    const frames = session([
      ['c', 'POST /upload.cgi HTTP/1.1\r\nHost: u\r\nContent-Length: 23\r\n\r\n'],
      ['c', 'user=admin&'],
      ['c', 'cmd=id;ls-la'],
      ['c', 'GET /after HTTP/1.1\r\nHost: u\r\n\r\n'],
    ]);
    const rules = [
      rule(1, 'http_uri; content:"/upload.cgi";'), // header section only
      rule(2, 'http_uri; content:"/upload.cgi"; http_client_body; content:"cmd=id";'), // the body section, with the URI
      rule(3, 'http_client_body; content:"user=admin";'),
      rule(4, 'http_uri; content:"/after";'),
      rule(5, 'http_client_body; content:"GET";'), // the next request is not body
    ].join('\n');
    expect(await alertsOf(frames, rules)).toEqual({ 1: 1, 2: 1, 3: 1, 4: 1 });
  });

  it('cuts a long body into sections of 16 KiB, each inspected once, whatever the segment sizes', async () => {
    const body = 'B'.repeat(40_000);
    const steps: Step[] = [['c', 'GET /big HTTP/1.1\r\nHost: b\r\n\r\n'], ['s', 'HTTP/1.1 200 OK\r\nContent-Length: 40000\r\n\r\n']];
    for (let i = 0; i < body.length; i += 1000) steps.push(['s', body.slice(i, i + 1000)]);
    const http = new HttpInspector();
    const stages = [new FlowStreamStage(() => new PacketBuffers(), { inspectSegments: false }), new Wizard(), http];
    // 40,000 bytes -> sections of 16,384, 16,384 and 7,232 bytes: the rule fires once per section.
    const rules = [rule(1, 'flow:to_client; file_data; content:"BBBB";'), rule(2, 'flow:to_client; content:"BBBB";')].join('\n');
    expect(await alertsOf(session(steps), rules, { stages })).toEqual({ 1: 3, 2: 3 });
    expect(http.counters).toMatchObject({ requests: 1, responses: 1 });
  });

  it('inspects a header block that never completes when the flow ends, once', async () => {
    const frames = session([['c', 'GET /never-ends HTTP/1.1\r\nHost: p\r\n'], ['c', 'X-Partial: yes\r\n']]);
    const rules = [rule(1, 'http_uri; content:"/never-ends";'), rule(2, 'http_header; content:"X-Partial";'), rule(3, 'content:"X-Partial";')].join('\n');
    expect(await alertsOf(frames, rules)).toEqual({ 1: 1, 2: 1, 3: 1 });
    // The same at end of input, without FINs.
    expect(await alertsOf(session([['c', 'GET /never-ends HTTP/1.1\r\nHost: p\r\n']], 80, { fin: false }), rules)).toEqual({ 1: 1 });
  });

  it('inspects a header block past the cap up to the cap and counts it, holding no more', async () => {
    const http = new HttpInspector({ maxHeaderBytes: 512 });
    const big = 'GET /capped HTTP/1.1\r\nHost: c\r\n' + Array.from({ length: 40 }, (_, i) => `X-Filler-${i}: ${'f'.repeat(30)}\r\n`).join('') + 'X-Late: after-cap\r\n\r\n';
    const steps: Step[] = [];
    for (let i = 0; i < big.length; i += 200) steps.push(['c', big.slice(i, i + 200)]);
    const rules = [rule(1, 'http_uri; content:"/capped";'), rule(2, 'http_header; content:"after-cap";')].join('\n');
    const stages = [new FlowStreamStage(() => new PacketBuffers(), { inspectSegments: false }), new Wizard(), http];
    expect(await alertsOf(session(steps), rules, { stages })).toEqual({ 1: 1 });
    expect(http.counters.truncatedHeaders).toBe(1);
  });

  it('raises http_inspect 119:19 for a header line over 4096 bytes and 119:20 past 200 header fields, once per message', async () => {
    const long = `GET /long HTTP/1.1\r\nHost: l\r\nX-Long: ${'a'.repeat(5000)}\r\n\r\n`;
    const many = `GET /many HTTP/1.1\r\n${Array.from({ length: 201 }, (_, i) => `X-${i}: v\r\n`).join('')}\r\n`;
    const steps: Step[] = [];
    for (let i = 0; i < long.length; i += 1400) steps.push(['c', long.slice(i, i + 1400)]);
    steps.push(['s', 'HTTP/1.1 204 No Content\r\n\r\n'], ['c', many], ['s', 'HTTP/1.1 204 No Content\r\n\r\n']);
    const pcap = join(dir, `t${pcapNo++}.pcap`);
    writePcap(pcap, session(steps));
    const r = await runIds({ pcaps: [pcap], rules: [], alertMode: 'none', checksums: 'none', portScan: false, builtinRules: true });
    expect(Object.fromEntries([...r.alertsBySid].filter(([k]) => k.startsWith('119:')))).toEqual({ '119:19': 1, '119:20': 1 });
  });

  it('leaves a flow that is not HTTP alone and follows a tunnel after CONNECT as raw data', async () => {
    const frames = session([
      ['c', 'CONNECT host:443 HTTP/1.1\r\nHost: host\r\n\r\n'],
      ['s', 'HTTP/1.1 200 Connection established\r\n\r\n'],
      ['c', 'GET /inside-tunnel HTTP/1.1\r\n\r\n'],
    ]);
    const rules = [rule(1, 'http_uri; content:"/inside-tunnel";'), rule(2, 'content:"/inside-tunnel";'), rule(3, 'http_method; content:"CONNECT";')].join('\n');
    // The method is offered again with the paired response only to rules that read the response too.
    expect(await alertsOf(frames, rules)).toEqual({ 2: 1, 3: 1 });
  });
});

describe('HttpInspector fuzz', () => {
  it('never throws or hangs on random and mutated messages cut at random points', () => {
    let x = 12345;
    const rnd = (n: number) => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x % n;
    };
    const seeds = [
      'GET /a HTTP/1.1\r\nHost: a\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET /c HTTP/1.0\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n' + `${gzipSync(Buffer.from('zz'.repeat(300))).length.toString(16)}\r\n`,
      'HTTP/1.1 101 Switching\r\n\r\n\x81\x05hello',
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc',
      'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n0\r\nTrailer: x\r\n\r\n',
    ];
    const http = new HttpInspector({ maxHeaderBytes: 300 });
    const sink = { reset: (_p: Uint8Array) => undefined, set: (_n: string, _d: Uint8Array) => undefined };
    let units = 0;
    const ctx = { detect: () => void units++ };
    for (let iter = 0; iter < 400; iter++) {
      const flow = { id: iter, established: true, bits: new Set<string>(), clientBytes: 0, serverBytes: 0, service: undefined };
      const seed = Buffer.from(seeds[iter % seeds.length]!, 'latin1');
      const data = Buffer.concat([seed, seed.subarray(0, rnd(seed.length))]);
      for (let k = 0; k < 1 + rnd(6); k++) data[rnd(data.length)] = rnd(256);
      let seq = 1000;
      let pos = 0;
      while (pos < data.length) {
        const n = 1 + rnd(40);
        const base = makePacket({ payload: data.subarray(pos, pos + n) });
        // Sometimes a gap: the sequence number jumps.
        if (rnd(20) === 0) seq += 7;
        const pkt = { ...base, tcp: { ...base.tcp!, seq }, reassembled: true, flow, direction: (iter % 2 === 0 ? 'client' : 'server') as 'client' | 'server' };
        expect(() => http.onPacket(pkt, sink, ctx)).not.toThrow();
        seq += Math.min(n, data.length - pos);
        pos += n;
      }
      http.flowEnd(flow, ctx);
    }
    expect(units).toBeGreaterThan(400);
  });
});
