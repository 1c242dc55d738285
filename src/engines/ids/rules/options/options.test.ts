/**
 * Every rule option, evaluated on packets built by the test: one positive and one negative case per option
 * (the last test checks that no registered option is left without both), then option-specific semantics.
 */
import { describe, expect, it } from 'vitest';
import { makePacket, type PacketSpec } from '../../../../../test/ids/packet.js';
import type { FlowState, InspectionBuffers, Packet } from '../../types.js';
import { createEvalState, matchRule } from '../eval.js';
import { loadRules } from '../parser/load.js';
import type { Rule, RuleSyntax } from '../types.js';
import { snortDefaultVariables } from '../variables.js';
import { optionRegistry } from './index.js';

type Patch = {
  ip?: Record<string, unknown>;
  tcp?: Record<string, unknown>;
  icmp?: Record<string, unknown>;
  flow?: Partial<FlowState> & { bits?: Set<string> };
  direction?: Packet['direction'];
  rebuilt?: boolean;
  reassembled?: boolean;
};

/** A decoded packet from test/ids/packet.ts with header fields patched. */
function packet(spec: PacketSpec = {}, patch: Patch = {}): Packet {
  const p = makePacket(spec) as unknown as Record<string, unknown>;
  if (patch.ip) p['ip'] = { ...(p['ip'] as object), ...patch.ip };
  if (patch.tcp) p['tcp'] = { ...(p['tcp'] as object), ...patch.tcp };
  if (patch.icmp) p['icmp'] = { ...(p['icmp'] as object), ...patch.icmp };
  if (patch.flow)
    p['flow'] = { id: 1, established: false, bits: new Set<string>(), clientBytes: 0, serverBytes: 0, service: undefined, ...patch.flow };
  if (patch.direction) p['direction'] = patch.direction;
  if (patch.rebuilt !== undefined) p['rebuilt'] = patch.rebuilt;
  if (patch.reassembled !== undefined) p['reassembled'] = patch.reassembled;
  return p as unknown as Packet;
}

function buffers(pkt: Packet, extra: Record<string, string | Uint8Array> = {}): InspectionBuffers {
  const m = new Map<string, Uint8Array>();
  for (const [k, v] of Object.entries(extra)) m.set(k, typeof v === 'string' ? Buffer.from(v, 'latin1') : v);
  return { get: (name) => m.get(name) ?? (name === 'pkt_data' ? pkt.payload : undefined) };
}

function rule(opts: string, proto = 'tcp', syntax?: RuleSyntax): Rule {
  const text = `alert ${proto} any any -> any any (msg:"t"; ${opts} sid:1000001; rev:1;)`;
  const r = loadRules([{ text, name: 'case.rules' }], snortDefaultVariables(), syntax ? { syntax } : {});
  if (r.errors.length) throw new Error(`${opts}: ${r.errors.map((e) => e.reason).join('; ')}`);
  return r.rules[0]!;
}

function loadError(opts: string, proto = 'tcp', syntax?: RuleSyntax): string | undefined {
  const text = `alert ${proto} any any -> any any (msg:"t"; ${opts} sid:1000001; rev:1;)`;
  const r = loadRules([{ text, name: 'case.rules' }], snortDefaultVariables(), syntax ? { syntax } : {});
  return r.errors[0]?.reason;
}

const state = createEvalState();

function hit(r: Rule, pkt: Packet, extra: Record<string, string | Uint8Array> = {}): boolean {
  return matchRule(r, pkt, buffers(pkt, extra), state);
}

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);
const TLS_CLIENT_HELLO = bytes(0x16, 0x03, 0x01, 0x00, 0x06, 0x01, 0x00, 0x00, 0x02, 0x03, 0x03);

interface PacketCase {
  readonly spec?: PacketSpec;
  readonly patch?: Patch;
  readonly bufs?: Record<string, string | Uint8Array>;
  /** Runs on the packet before the rule under test (e.g. other rules that set flow state). */
  readonly prep?: (p: Packet) => void;
}

interface MatchCase {
  readonly opts: string;
  readonly proto?: string;
  readonly syntax?: RuleSyntax;
  /** Runs first (e.g. another rule that sets state this one tests). */
  readonly setup?: () => void;
  readonly yes: PacketCase;
  readonly no: PacketCase;
}

/** Packet-evaluated options: a packet that matches and one that does not. */
const MATCH_CASES: Record<string, MatchCase> = {
  content: { opts: 'content:"abc";', yes: { spec: { payload: 'xxabcxx' } }, no: { spec: { payload: 'xxabxcx' } } },
  uricontent: { opts: 'uricontent:"index";', yes: { bufs: { http_uri: '/index.php' } }, no: { bufs: { http_uri: '/home.php' } } },
  pcre: { opts: 'pcre:"/a.c/";', yes: { spec: { payload: 'xxabcxx' } }, no: { spec: { payload: 'xxa\nc' } } },
  byte_test: { opts: 'byte_test:2,>,0x100,0;', yes: { spec: { payload: bytes(2, 0) } }, no: { spec: { payload: bytes(0, 0x10) } } },
  byte_jump: { opts: 'byte_jump:1,0; content:"X"; within:1;', yes: { spec: { payload: bytes(2, 0x61, 0x62, 0x58) } }, no: { spec: { payload: bytes(1, 0x61, 0x62, 0x58) } } },
  byte_extract: { opts: 'byte_extract:1,0,len; content:"X"; offset:len; depth:1;', yes: { spec: { payload: bytes(3, 0x61, 0x62, 0x58) } }, no: { spec: { payload: bytes(2, 0x61, 0x62, 0x58) } } },
  byte_math: { opts: 'byte_math:bytes 1, offset 0, oper +, rvalue 1, result r; byte_test:1,=,r,1;', yes: { spec: { payload: bytes(2, 3) } }, no: { spec: { payload: bytes(2, 5) } } },
  isdataat: { opts: 'isdataat:5;', yes: { spec: { payload: '123456' } }, no: { spec: { payload: '12345' } } },
  dsize: { opts: 'dsize:>3;', yes: { spec: { payload: '1234' } }, no: { spec: { payload: '123' } } },
  flow: { opts: 'flow:established,to_server;', yes: { patch: { flow: { established: true }, direction: 'client' } }, no: { patch: { flow: { established: true }, direction: 'server' } } },
  flowbits: { opts: 'flowbits:isset,seen;', yes: { patch: { flow: { bits: new Set(['seen']) } } }, no: { patch: { flow: { bits: new Set(['other']) } } } },
  flags: { opts: 'flags:S;', yes: { spec: { flags: 0x02 } }, no: { spec: { flags: 0x12 } } },
  fragbits: { opts: 'fragbits:D;', proto: 'ip', yes: { patch: { ip: { flags: 2 } } }, no: { patch: { ip: { flags: 1 } } } },
  fragoffset: { opts: 'fragoffset:>0;', proto: 'ip', yes: { patch: { ip: { fragOffset: 16 } } }, no: { patch: { ip: { fragOffset: 0 } } } },
  ttl: { opts: 'ttl:<10;', proto: 'ip', yes: { spec: { ttl: 5 } }, no: { spec: { ttl: 64 } } },
  tos: { opts: 'tos:!0;', proto: 'ip', yes: { patch: { ip: { tos: 4 } } }, no: { patch: { ip: { tos: 0 } } } },
  id: { opts: 'id:31337;', proto: 'ip', yes: { patch: { ip: { id: 31337 } } }, no: { patch: { ip: { id: 1 } } } },
  ipopts: { opts: 'ipopts:rr;', proto: 'ip', yes: { patch: { ip: { options: [1, 7] } } }, no: { patch: { ip: { options: [1] } } } },
  ip_proto: { opts: 'ip_proto:udp;', proto: 'ip', yes: { spec: { proto: 'udp' } }, no: { spec: { proto: 'tcp' } } },
  itype: { opts: 'itype:8;', proto: 'icmp', yes: { spec: { proto: 'icmp', icmpType: 8 } }, no: { spec: { proto: 'icmp', icmpType: 0 } } },
  icode: { opts: 'icode:>2;', proto: 'icmp', yes: { spec: { proto: 'icmp' }, patch: { icmp: { code: 3 } } }, no: { spec: { proto: 'icmp' }, patch: { icmp: { code: 1 } } } },
  icmp_id: { opts: 'icmp_id:0;', proto: 'icmp', yes: { spec: { proto: 'icmp' }, patch: { icmp: { id: 0 } } }, no: { spec: { proto: 'icmp' }, patch: { icmp: { id: 7 } } } },
  icmp_seq: { opts: 'icmp_seq:42;', proto: 'icmp', yes: { spec: { proto: 'icmp' }, patch: { icmp: { seq: 42 } } }, no: { spec: { proto: 'icmp' }, patch: { icmp: { seq: 41 } } } },
  sameip: { opts: 'sameip;', proto: 'ip', yes: { spec: { src: '10.1.1.1', dst: '10.1.1.1' } }, no: { spec: { src: '10.1.1.1', dst: '10.1.1.2' } } },
  urilen: { opts: 'urilen:5<>10;', yes: { bufs: { http_uri: '/abcdefg' } }, no: { bufs: { http_uri: '/a' } } },
  stream_size: { opts: 'stream_size:server,>,100;', yes: { patch: { flow: { serverBytes: 500 } } }, no: { patch: { flow: { serverBytes: 50 } } } },
  seq: { opts: 'seq:0;', yes: { patch: { tcp: { seq: 0 } } }, no: { patch: { tcp: { seq: 9 } } } },
  ack: { opts: 'ack:0;', yes: { patch: { tcp: { ack: 0 } } }, no: { patch: { tcp: { ack: 9 } } } },
  window: { opts: 'window:55808;', yes: { patch: { tcp: { window: 55808 } } }, no: { patch: { tcp: { window: 1024 } } } },
  bsize: { opts: 'http.uri; bsize:5;', syntax: 'suricata', yes: { bufs: { http_uri: '/abcd' } }, no: { bufs: { http_uri: '/abcde' } } },
  bufferlen: { opts: 'http_uri; bufferlen:<5;', syntax: 'snort3', yes: { bufs: { http_uri: '/abc' } }, no: { bufs: { http_uri: '/abcde' } } },
  ssl_state: { opts: 'ssl_state:client_hello;', yes: { spec: { payload: TLS_CLIENT_HELLO } }, no: { spec: { payload: 'GET / HTTP/1.0' } } },
  ssl_version: { opts: 'ssl_version:tls1.2;', yes: { spec: { payload: TLS_CLIENT_HELLO } }, no: { spec: { payload: bytes(0x16, 0x03, 0x00, 0x00, 0x06, 0x01, 0x00, 0x00, 0x02, 0x03, 0x00) } } },
  base64_decode: { opts: 'content:"Auth: "; base64_decode:relative; base64_data; content:"admin:";', yes: { spec: { payload: 'Auth: YWRtaW46c2VjcmV0' } }, no: { spec: { payload: 'Auth: dXNlcjpzZWNyZXQ=' } } },
  xbits: { opts: 'xbits:isset,tableseen,track ip_src;', setup: () => void hit(rule('xbits:set,tableseen,track ip_src;'), packet({ src: '10.7.7.7' })), yes: { spec: { src: '10.7.7.7' } }, no: { spec: { src: '10.7.7.8' } } },
  'tls.version': { opts: 'tls.version:1.2;', syntax: 'suricata', yes: { spec: { payload: TLS_CLIENT_HELLO } }, no: { spec: { payload: bytes(0x16, 0x03, 0x01, 0x00, 0x06, 0x01, 0x00, 0x00, 0x02, 0x03, 0x01) } } },
  asn1: { opts: 'asn1:bitstring_overflow, oversize_length 1000;', yes: { spec: { payload: bytes(0x30, 0x04, 0x03, 0x02, 0x09, 0xff) } }, no: { spec: { payload: bytes(0x30, 0x04, 0x03, 0x02, 0x07, 0x80) } } },
  flowint: {
    opts: 'flowint:hits,>,1;',
    yes: { spec: { payload: 'hit' }, patch: { flow: {} }, prep: (p) => [1, 2].forEach(() => hit(rule('content:"hit"; flowint:hits,+,1;'), p)) },
    no: { spec: { payload: 'hit' }, patch: { flow: {} }, prep: (p) => void hit(rule('content:"hit"; flowint:hits,+,1;'), p) },
  },
  ber_data: { opts: 'content:"X"; ber_data:0x30; content:"|02|"; within:1;', yes: { spec: { payload: bytes(0x58, 0x30, 0x03, 0x02, 0x01, 0x05) } }, no: { spec: { payload: bytes(0x58, 0x31, 0x03, 0x02, 0x01, 0x05) } } },
  ber_skip: { opts: 'content:"X"; ber_skip:0x01,optional; ber_data:0x04; content:"hi"; within:2;', yes: { spec: { payload: bytes(0x58, 0x01, 0x01, 0xff, 0x04, 0x02, 0x68, 0x69) } }, no: { spec: { payload: bytes(0x58, 0x02, 0x01, 0xff, 0x04, 0x02, 0x68, 0x69) } } },
  dce_iface: { opts: 'dce_iface:uuid 4B324FC8-1670-01D3-1278-5A47BF6EE188, >1;', yes: { bufs: { dce_iface: '4b324fc8-1670-01d3-1278-5a47bf6ee188', dce_iface_version: '3' } }, no: { bufs: { dce_iface: '4b324fc8-1670-01d3-1278-5a47bf6ee188', dce_iface_version: '1' } } },
  dce_opnum: { opts: 'dce_opnum:"1-2,9";', yes: { bufs: { dce_opnum: '9' } }, no: { bufs: { dce_opnum: '3' } } },
  sip_method: { opts: 'sip_method:invite,options;', yes: { bufs: { sip_method: 'OPTIONS' } }, no: { bufs: { sip_method: 'BYE' } } },
  sip_stat_code: { opts: 'sip_stat_code:4,180;', yes: { bufs: { sip_stat_code: '404' } }, no: { bufs: { sip_stat_code: '200' } } },
  rpc: { opts: 'rpc:100000,*,3;', yes: { spec: { payload: bytes(0, 0, 0, 40, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1, 0x86, 0xa0, 0, 0, 0, 2, 0, 0, 0, 3) } }, no: { spec: { payload: bytes(0, 0, 0, 40, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1, 0x86, 0xa9, 0, 0, 0, 2, 0, 0, 0, 3) } } },
  ftpbounce: { opts: 'content:"PORT"; nocase; ftpbounce;', yes: { spec: { src: '10.0.0.1', payload: 'PORT 10,0,0,99,4,1\r\n' } }, no: { spec: { src: '10.0.0.1', payload: 'PORT 10,0,0,1,4,1\r\n' } } },
  nocase: { opts: 'content:"ABC"; nocase;', yes: { spec: { payload: 'xabcx' } }, no: { spec: { payload: 'xabdx' } } },
  rawbytes: { opts: 'content:"abc"; rawbytes;', yes: { bufs: { raw_data: 'abc', pkt_data: 'xyz' } }, no: { bufs: { raw_data: 'xyz', pkt_data: 'abc' } } },
  depth: { opts: 'content:"abc"; depth:4;', yes: { spec: { payload: 'xabcxxxx' } }, no: { spec: { payload: 'xxabcxxx' } } },
  offset: { opts: 'content:"abc"; offset:2;', yes: { spec: { payload: 'xxabc' } }, no: { spec: { payload: 'xabcx' } } },
  distance: { opts: 'content:"a"; content:"b"; distance:2;', yes: { spec: { payload: 'a12b' } }, no: { spec: { payload: 'a1b' } } },
  within: { opts: 'content:"a"; content:"b"; within:2;', yes: { spec: { payload: 'a1b' } }, no: { spec: { payload: 'a12b' } } },
  fast_pattern: { opts: 'content:"ab"; content:"xyz"; fast_pattern;', yes: { spec: { payload: 'abxyz' } }, no: { spec: { payload: 'abxy' } } },
  startswith: { opts: 'content:"GET"; startswith;', syntax: 'suricata', yes: { spec: { payload: 'GET /' } }, no: { spec: { payload: ' GET /' } } },
  endswith: { opts: 'content:".exe"; endswith;', syntax: 'suricata', yes: { spec: { payload: 'a.exe' } }, no: { spec: { payload: 'a.exe ' } } },
  dotprefix: { opts: 'dns.query; dotprefix; content:".example.com"; endswith;', syntax: 'suricata', yes: { bufs: { dns_query: 'www.example.com' } }, no: { bufs: { dns_query: 'wwwexample.com' } } },
};

/** Rule-data options: what the loaded rule carries, and an argument that must be rejected. */
const META_CASES: Record<string, { opts: string; check: (r: Rule) => unknown; want: unknown; bad: string }> = {
  msg: { opts: '', check: (r) => r.msg, want: 't', bad: 'msg:unquoted;' },
  sid: { opts: '', check: (r) => r.sid, want: 1000001, bad: 'sid:abc;' },
  gid: { opts: 'gid:3;', check: (r) => r.gid, want: 3, bad: 'gid:-1;' },
  rev: { opts: '', check: (r) => r.rev, want: 1, bad: 'rev:x;' },
  priority: { opts: 'priority:2;', check: (r) => r.priority, want: 2, bad: 'priority:0;' },
  classtype: { opts: 'classtype:trojan-activity;', check: (r) => [r.classtype, r.priority], want: ['trojan-activity', 1], bad: 'classtype:no-such-class;' },
  reference: { opts: 'reference:cve,2017-0144;', check: (r) => r.references, want: [{ system: 'cve', id: '2017-0144' }], bad: 'reference:cve;' },
  metadata: { opts: 'metadata:policy balanced-ips drop, policy security-ips drop, ruleset community;', check: (r) => r.metadata.get('policy'), want: ['balanced-ips drop', 'security-ips drop'], bad: 'metadata:;' },
  service: { opts: 'service:http,ssl;', check: (r) => r.services, want: ['http', 'ssl'], bad: 'service:;' },
  target: { opts: 'target:dest_ip;', check: (r) => r.metadata.get('target'), want: ['dest_ip'], bad: 'target:both;' },
  tag: { opts: 'tag:session,10,packets;', check: (r) => r.tag, want: { type: 'session', count: 10, metric: 'packets', direction: undefined }, bad: 'tag:flow,10,packets;' },
  threshold: { opts: 'threshold:type limit, track by_src, count 1, seconds 60;', check: (r) => r.threshold, want: { type: 'limit', track: 'by_src', count: 1, seconds: 60 }, bad: 'threshold:type sometimes, track by_src, count 1, seconds 60;' },
  detection_filter: { opts: 'detection_filter:track by_dst, count 5, seconds 10;', check: (r) => r.detectionFilter, want: { track: 'by_dst', count: 5, seconds: 10 }, bad: 'detection_filter:track by_dst, count 0, seconds 10;' },
  noalert: { opts: 'noalert;', check: (r) => r.noalert, want: true, bad: 'noalert:yes;' },
};

describe('rule options: one positive and one negative case each', () => {
  for (const [name, c] of Object.entries(MATCH_CASES)) {
    it(`${name} matches the packet built to match and not the other`, () => {
      c.setup?.();
      const r = rule(c.opts, c.proto, c.syntax);
      const yes = packet(c.yes.spec, c.yes.patch);
      const no = packet(c.no.spec, c.no.patch);
      c.yes.prep?.(yes);
      c.no.prep?.(no);
      expect(hit(r, yes, c.yes.bufs)).toBe(true);
      expect(hit(r, no, c.no.bufs)).toBe(false);
    });
  }
  for (const [name, c] of Object.entries(META_CASES)) {
    it(`${name} sets rule data and rejects a bad argument`, () => {
      expect(c.check(rule(c.opts))).toEqual(c.want);
      expect(loadError(c.bad)).toMatch(/\w/);
    });
  }

  // Buffer options (sticky buffers and HTTP modifiers): the content is looked for in that buffer only.
  const bufferOptions = optionRegistry.list().filter((o) => o.kind === 'buffer' && o.name !== 'dotprefix' && o.name !== 'base64_data');
  for (const o of bufferOptions) {
    it(`${o.name} makes contents look in its own buffer`, () => {
      const sticky = o.name.includes('.') || !o.name.startsWith('http_');
      const r = sticky ? rule(`${o.name}; content:"needle";`, 'tcp', 'suricata') : rule(`content:"needle"; ${o.name};`, 'tcp', 'snort2');
      const buf = r.buffers[0]!;
      expect(buf).toMatch(/^[a-z0-9_:-]+$/);
      const pkt = packet({ payload: buf === 'pkt_data' || buf === 'raw_data' ? 'a needle' : 'nothing here' });
      expect(hit(r, pkt, { [buf]: 'a needle' })).toBe(true);
      if (buf !== 'pkt_data' && buf !== 'raw_data') {
        expect(hit(r, packet({ payload: 'a needle' }))).toBe(false);
      } else {
        expect(hit(r, packet({ payload: 'no match' }), { [buf]: 'no match' })).toBe(false);
      }
    });
  }

  it('leaves no registered option without its cases', () => {
    const covered = new Set([...Object.keys(MATCH_CASES), ...Object.keys(META_CASES), ...bufferOptions.map((o) => o.name), 'dotprefix', 'base64_data']);
    expect(optionRegistry.names().filter((n) => !covered.has(n))).toEqual([]);
  });
});

describe('content', () => {
  it('finds a relative content after a later occurrence when the first one fails (backtracking)', () => {
    const r = rule('content:"USER"; content:"w0rm"; distance:1; within:6;');
    expect(hit(r, packet({ payload: 'USER bob\r\nUSER w0rm\r\n' }))).toBe(true);
    expect(hit(r, packet({ payload: 'USER bob\r\nUSER   x  w0rm\r\n' }))).toBe(false);
  });

  it('does not move the cursor on a negated content', () => {
    const r = rule('content:"ab"; content:!"zz"; content:"cd"; distance:0; within:2;');
    expect(hit(r, packet({ payload: 'abcd' }))).toBe(true);
    expect(hit(r, packet({ payload: 'abcdzz' }))).toBe(false);
  });

  it('reads Snort 3 sub-options and hex bytes', () => {
    const r = rule('content:"|05 00|",depth 2,offset 8; content:"x|3A|y",nocase,distance 0;', 'tcp', 'snort3');
    expect(hit(r, packet({ payload: bytes(0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0x58, 0x3a, 0x59) }))).toBe(true);
    expect(hit(r, packet({ payload: bytes(0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0x58, 0x3a, 0x59) }))).toBe(false);
  });

  it('uses byte_extract variables for offset and depth', () => {
    const r = rule('byte_extract:1,0,off; content:"Z"; offset:off; depth:1;');
    expect(hit(r, packet({ payload: bytes(4, 0, 0, 0, 0x5a) }))).toBe(true);
    expect(hit(r, packet({ payload: bytes(3, 0, 0, 0, 0x5a) }))).toBe(false);
  });

  it('finds nothing at a variable offset or distance past the buffer, and a negated content there holds', () => {
    // 0xffffffff does not fit a small integer: the window is clamped to the buffer before searching.
    const far = bytes(0xff, 0xff, 0xff, 0xff, 0x5a, 0x5a);
    expect(hit(rule('byte_extract:4,0,off; content:"Z"; offset:off;'), packet({ payload: far }))).toBe(false);
    expect(hit(rule('byte_extract:4,0,off; content:!"Z"; offset:off;'), packet({ payload: far }))).toBe(true);
    expect(hit(rule('byte_extract:4,0,n; content:"Z"; distance:n;'), packet({ payload: far }))).toBe(false);
    expect(hit(rule('byte_extract:1,0,n; content:"Z"; distance:n;'), packet({ payload: bytes(3, 0, 0, 0, 0x5a) }))).toBe(true);
  });

  it('rejects a depth shorter than the pattern and offset mixed with distance', () => {
    expect(loadError('content:"abcdef"; depth:3;')).toMatch(/depth 3 is shorter/);
    expect(loadError('content:"a"; content:"b"; offset:1; distance:1;')).toMatch(/cannot be mixed/);
  });

  it('applies Snort 2 modifiers to the last content even after a pcre', () => {
    const r = rule('content:"a"; pcre:"/b/R"; content:"c"; distance:0;');
    expect(hit(r, packet({ payload: 'abc' }))).toBe(true);
  });
});

describe('pcre', () => {
  it('runs relative to the cursor with R, anchoring ^ at the cursor', () => {
    const r = rule('content:"USER"; pcre:"/^\\s+w0rm/R";');
    expect(hit(r, packet({ payload: 'USER  w0rm' }))).toBe(true);
    expect(hit(r, packet({ payload: 'USER x w0rm' }))).toBe(false);
  });

  it('matches bytes above 0x7f as Latin-1 and honours i, s and m', () => {
    expect(hit(rule('pcre:"/\\xff\\xfe.A/si";'), packet({ payload: bytes(0xff, 0xfe, 0x0a, 0x61) }))).toBe(true);
    expect(hit(rule('pcre:"/\\xff\\xfe.A/i";'), packet({ payload: bytes(0xff, 0xfe, 0x0a, 0x61) }))).toBe(false);
    expect(hit(rule('pcre:"/^b$/m";'), packet({ payload: 'a\nb\nc' }))).toBe(true);
  });

  it('selects an HTTP buffer with a Snort 2 flag', () => {
    const r = rule('pcre:"/select.+from/Ui";');
    expect(r.buffers).toEqual(['http_uri']);
    expect(hit(r, packet({ payload: 'x' }), { http_uri: '/a?q=SELECT * FROM t' })).toBe(true);
  });

  it('strips whitespace and comments with x, and makes quantifiers lazy with G', () => {
    expect(hit(rule('pcre:"/a b  c # comment/x";'), packet({ payload: 'zzabc' }))).toBe(true);
    const lazy = rule('pcre:"/a.+b/G"; content:"c"; within:1;');
    // With G, ".+" stops at the first b, so the content right after it must be "c".
    expect(hit(lazy, packet({ payload: 'a1bc2b' }))).toBe(true);
    expect(hit(rule('pcre:"/a.+b/"; content:"c"; within:1;'), packet({ payload: 'a1bc2bx' }))).toBe(false);
  });

  it('accepts the m<delimiter> form', () => {
    expect(hit(rule('pcre:"m?^Argument\\s+/?smi";'), packet({ payload: 'argument  /x' }))).toBe(true);
  });

  it('is negated with !', () => {
    const r = rule('content:"GET"; pcre:!"/admin/";');
    expect(hit(r, packet({ payload: 'GET /index' }))).toBe(true);
    expect(hit(r, packet({ payload: 'GET /admin' }))).toBe(false);
  });

  it('rejects a pattern that does not compile with a reason', () => {
    expect(loadError('pcre:"/(unclosed/";')).toMatch(/pcre/);
    expect(loadError('pcre:"no-slashes";')).toMatch(/pcre/);
  });
});

describe('byte options', () => {
  it('byte_test reads ASCII numbers and little-endian values, with ! and &', () => {
    expect(hit(rule('byte_test:3,=,123,0,string,dec;'), packet({ payload: '123abc' }))).toBe(true);
    expect(hit(rule('byte_test:2,=,0x0102,0,little;'), packet({ payload: bytes(2, 1) }))).toBe(true);
    expect(hit(rule('byte_test:1,!&,0x80,0;'), packet({ payload: bytes(0x7f) }))).toBe(true);
    expect(hit(rule('byte_test:1,&,0x80,0;'), packet({ payload: bytes(0x7f) }))).toBe(false);
    expect(hit(rule('byte_test:4,>,1,2;'), packet({ payload: bytes(1, 2, 3) }))).toBe(false);
  });

  it('byte_jump honours multiplier, align, from_beginning and post_offset', () => {
    expect(hit(rule('byte_jump:1,0,multiplier 2; content:"X"; within:1;'), packet({ payload: bytes(1, 0, 0, 0x58) }))).toBe(true);
    // 2 rounds up to 4: the jump lands at 1 + 4 = 5.
    expect(hit(rule('byte_jump:1,0,align; content:"X"; within:1;'), packet({ payload: bytes(2, 0, 0, 0, 0, 0x58) }))).toBe(true);
    expect(hit(rule('byte_jump:1,0; content:"X"; within:1;'), packet({ payload: bytes(2, 0, 0, 0, 0, 0x58) }))).toBe(false);
    expect(hit(rule('byte_jump:1,0,from_beginning; content:"X"; within:1;'), packet({ payload: bytes(2, 0, 0x58) }))).toBe(true);
    expect(hit(rule('byte_jump:1,0,post_offset -1; content:"X"; within:1;'), packet({ payload: bytes(2, 0, 0x58) }))).toBe(true);
    expect(hit(rule('byte_jump:1,0;'), packet({ payload: bytes(200, 0) }))).toBe(false);
  });

  it('byte_test compares with a byte_extract variable, relative to the cursor', () => {
    const r = rule('content:"|FF|SMB"; byte_extract:2,0,total,relative,little; byte_test:2,>,total,0,relative,little;', 'tcp', 'snort3');
    expect(hit(r, packet({ payload: bytes(0xff, 0x53, 0x4d, 0x42, 5, 0, 6, 0) }))).toBe(true);
    expect(hit(r, packet({ payload: bytes(0xff, 0x53, 0x4d, 0x42, 5, 0, 4, 0) }))).toBe(false);
  });

  it('moves the cursor after byte_extract as each dialect does', () => {
    const payload = bytes(0x58, 9, 9, 0, 3, 0x41, 0x42);
    // Snort 2: the cursor goes to just after the bytes read (offset 4 from X's end, 1 byte) -> "AB" next.
    expect(hit(rule('content:"X"; byte_extract:1,3,n,relative; content:"AB"; within:2;', 'tcp', 'snort2'), packet({ payload }))).toBe(true);
    // Snort 3: the cursor advances by the bytes read from where it was (X end + 1) -> "AB" is further on.
    expect(hit(rule('content:"X"; byte_extract:1,3,n,relative; content:"AB",within 2;', 'tcp', 'snort3'), packet({ payload }))).toBe(false);
    expect(hit(rule('content:"X"; byte_extract:1,3,n,relative; content:"AB",distance 3,within 2;', 'tcp', 'snort3'), packet({ payload }))).toBe(true);
  });

  it('rejects an unknown variable and bad counts', () => {
    expect(loadError('byte_test:1,=,nosuchvar,0;')).toMatch(/unknown variable/);
    expect(loadError('byte_test:5,=,1,0;')).toMatch(/1-4/);
    expect(loadError('byte_jump:x,0;')).toMatch(/byte count/);
  });
});

describe('flags, flow and flowbits', () => {
  it('flags supports + (all of), * (any of), ! (none of) and a mask', () => {
    expect(hit(rule('flags:S+;'), packet({ flags: 0x12 }))).toBe(true);
    expect(hit(rule('flags:*SF;'), packet({ flags: 0x01 }))).toBe(true);
    expect(hit(rule('flags:!R;'), packet({ flags: 0x04 }))).toBe(false);
    expect(hit(rule('flags:S,12;'), packet({ flags: 0xc2 }))).toBe(true);
    expect(hit(rule('flags:0;'), packet({ flags: 0 }))).toBe(true);
  });

  it('flow:only_stream matches only reassembled TCP units and no_stream only the others', () => {
    expect(hit(rule('flow:only_stream;'), packet({}, { reassembled: true }))).toBe(true);
    expect(hit(rule('flow:only_stream;'), packet())).toBe(false);
    expect(hit(rule('flow:only_stream;'), packet({}, { rebuilt: true }))).toBe(false); // an IP datagram rebuilt from fragments
    expect(hit(rule('flow:no_stream;'), packet({}, { reassembled: true }))).toBe(false);
    expect(hit(rule('flow:no_stream;'), packet())).toBe(true);
  });

  it('flow fails established and direction tests on a packet without a flow', () => {
    expect(hit(rule('flow:established;'), packet())).toBe(false);
    expect(hit(rule('flow:stateless;'), packet())).toBe(true);
    expect(hit(rule('flow:to_client;'), packet({}, { direction: 'server' }))).toBe(true);
  });

  it('flowbits set applies to the flow only when the whole rule matches, and noalert is exposed', () => {
    const r = rule('content:"login"; flowbits:set,auth; flowbits:noalert;');
    expect(r.noalert).toBe(true);
    const flowed = packet({ payload: 'nope' }, { flow: {} });
    expect(hit(r, flowed)).toBe(false);
    expect(flowed.flow!.bits.has('auth')).toBe(false);
    const ok = packet({ payload: 'login' }, { flow: {} });
    expect(hit(r, ok)).toBe(true);
    expect(ok.flow!.bits.has('auth')).toBe(true);
  });

  it('flowbits isset with | is any-of and with & all-of; toggle and unset change the flow', () => {
    const withA = (): Packet => packet({}, { flow: { bits: new Set(['a']) } });
    expect(hit(rule('flowbits:isset,a|b;'), withA())).toBe(true);
    expect(hit(rule('flowbits:isset,a&b;'), withA())).toBe(false);
    expect(hit(rule('flowbits:isnotset,b;'), withA())).toBe(true);
    const p = withA();
    hit(rule('flowbits:toggle,a;'), p);
    expect(p.flow!.bits.has('a')).toBe(false);
    hit(rule('flowbits:set,c;'), p);
    hit(rule('flowbits:unset,c;'), p);
    expect(p.flow!.bits.size).toBe(0);
  });
});

describe('asn1', () => {
  it('matches an oversized or overlong length, a long ASCII REAL, and honours relative_offset', () => {
    expect(hit(rule('asn1:oversize_length 100;'), packet({ payload: bytes(0x04, 0x81, 0xc8, 0x41) }))).toBe(true);
    expect(hit(rule('asn1:oversize_length 100;'), packet({ payload: bytes(0x04, 0x02, 0x41, 0x41) }))).toBe(false);
    expect(hit(rule('asn1:oversize_length 100;'), packet({ payload: bytes(0x04, 0x85, 1, 2, 3, 4, 5) }))).toBe(true);
    const real = new Uint8Array(4 + 300).fill(0x31);
    real.set([0x09, 0x82, 0x01, 0x2c, 0x01]);
    expect(hit(rule('asn1:double_overflow;'), packet({ payload: real }))).toBe(true);
    const rel = rule('content:"XX"; asn1:bitstring_overflow, relative_offset 1;');
    expect(hit(rel, packet({ payload: bytes(0x58, 0x58, 0, 0x03, 0x01, 0x08) }))).toBe(true);
    expect(hit(rel, packet({ payload: bytes(0x58, 0x58, 0x03, 0x01, 0x08) }))).toBe(false);
  });
});

describe('flowint', () => {
  it('counts matches on the flow and compares the counter', () => {
    const p = packet({ payload: 'hit' }, { flow: {} });
    const inc = rule('content:"hit"; flowint:hits,+,1;');
    const over = rule('flowint:hits,>,1;');
    expect(hit(rule('flowint:hits,notset;'), p)).toBe(true);
    expect(hit(inc, p)).toBe(true);
    expect(hit(over, p)).toBe(false);
    expect(hit(inc, p)).toBe(true);
    expect(hit(over, p)).toBe(true);
    expect(hit(rule('flowint:hits,isset;'), p)).toBe(true);
    expect(hit(over, packet({ payload: 'hit' }, { flow: {} }))).toBe(false);
    expect(loadError('flowint:hits,^,1;')).toMatch(/operator/);
  });
});

describe('xbits', () => {
  it('sets a bit on the source host when the rule matches, visible from another flow, until it expires', () => {
    const setter = rule('content:"login"; xbits:set,seen,track ip_src,expire 10; xbits:noalert;');
    expect(setter.noalert).toBe(true);
    expect(hit(setter, packet({ src: '10.7.7.7', payload: 'login', tsSec: 1000 }))).toBe(true);
    const checker = rule('xbits:isset,seen,track ip_src;');
    expect(hit(checker, packet({ src: '10.7.7.7', srcPort: 5555, tsSec: 1005 }))).toBe(true);
    expect(hit(checker, packet({ src: '10.7.7.7', tsSec: 1011 }))).toBe(false);
    expect(hit(rule('xbits:isnotset,seen,track ip_src;'), packet({ src: '10.7.7.9', tsSec: 1005 }))).toBe(true);
  });

  it('tracks ip_pair in both directions and unsets', () => {
    hit(rule('xbits:set,pair,track ip_pair;'), packet({ src: '10.1.1.1', dst: '10.2.2.2' }));
    const check = rule('xbits:isset,pair,track ip_pair;');
    expect(hit(check, packet({ src: '10.2.2.2', dst: '10.1.1.1' }))).toBe(true);
    hit(rule('xbits:unset,pair,track ip_pair;'), packet({ src: '10.1.1.1', dst: '10.2.2.2' }));
    expect(hit(check, packet({ src: '10.2.2.2', dst: '10.1.1.1' }))).toBe(false);
    expect(loadError('xbits:set,x;')).toMatch(/track/);
  });
});

describe('HTTP buffers across dialects', () => {
  it('treats http_uri as a modifier in Snort 2 and as a sticky buffer in Snort 3', () => {
    const s2 = rule('content:"GET"; http_method; content:"/admin"; http_uri;', 'tcp', 'snort2');
    const s3 = rule('http_method; content:"GET"; http_uri; content:"/admin";', 'tcp', 'snort3');
    for (const r of [s2, s3]) {
      expect(hit(r, packet(), { http_method: 'GET', http_uri: '/admin/x' })).toBe(true);
      expect(hit(r, packet(), { http_method: 'POST', http_uri: '/admin/x' })).toBe(false);
      expect(hit(r, packet(), { http_method: 'GET' })).toBe(false);
    }
  });

  it('does not match when an option needs a buffer the packet does not have', () => {
    expect(hit(rule('http.host; content:"evil";', 'http', 'suricata'), packet({ payload: 'evil' }))).toBe(false);
  });
});

describe('evaluation cost', () => {
  it('does not retry a content when no later option is relative to it', () => {
    const r = rule('content:"A"; content:"B";');
    const before = state.truncated;
    // Thousands of "A" and no "B": one search each, no backtracking budget spent.
    expect(hit(r, packet({ payload: 'A'.repeat(5000) }))).toBe(false);
    expect(state.truncated).toBe(before);
  });

  it('bounds backtracking on a pathological packet', () => {
    const r = rule('content:"A"; content:"A"; distance:0; content:"A"; distance:0; content:"B"; distance:0;');
    const t0 = performance.now();
    expect(hit(r, packet({ payload: 'A'.repeat(3000) }))).toBe(false);
    expect(performance.now() - t0).toBeLessThan(500);
  });
});

describe('pcre on the backtracking matcher', () => {
  it('spells out scoped (?i:...) groups, named back-references and possessive quantifiers', () => {
    const r = rule('pcre:"/^((?!(?i:<\\/applet>)).)+?value=(?P<q>[\\x22\\x27])x(?P=q)/s";');
    expect(hit(r, packet({ payload: '<applet a>value="x"' }))).toBe(true);
    expect(hit(r, packet({ payload: '<APPLET></Applet>value="x"' }))).toBe(false);
    expect(hit(r, packet({ payload: 'value="x\'' }))).toBe(false);
    expect(hit(rule('pcre:"/a{2,}+b(?=c)/";'), packet({ payload: 'xaaabc' }))).toBe(true);
  });
});
