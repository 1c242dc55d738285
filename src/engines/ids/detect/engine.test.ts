import { describe, expect, it } from 'vitest';
import { makePacket, type PacketSpec } from '../../../../test/ids/packet.js';
import { createEvalState, createVariableTable, loadRules, matchHeader, matchRule, snortDefaultVariables } from '../rules/index.js';
import type { InspectionBuffers, Packet } from '../types.js';
import type { Rule } from '../rules/types.js';
import { Detector, headerMatches } from './engine.js';
import { EventFilters, parseThresholdFile } from './filters.js';

const evaluator = { createState: createEvalState, matchRule };

function rules(text: string, vars = snortDefaultVariables()): Rule[] {
  const r = loadRules([{ text, name: 'test.rules' }], vars);
  expect(r.errors).toEqual([]);
  return r.rules;
}

function buffersOf(pkt: Packet): InspectionBuffers {
  return { get: (name) => (name === 'pkt_data' || name === 'raw_data' ? pkt.payload : undefined) };
}

function sids(d: Detector, spec: PacketSpec): number[] {
  const pkt = makePacket(spec);
  return d.inspect(pkt, buffersOf(pkt)).map((e) => e.sid);
}

/** The reference: every rule's header and options, one by one, no indexes. */
function naiveSids(list: readonly Rule[], spec: PacketSpec): number[] {
  const pkt = makePacket(spec);
  const state = createEvalState();
  return list.filter((r) => matchHeader(r, pkt) && matchRule(r, pkt, buffersOf(pkt), state)).map((r) => r.sid);
}

describe('Detector', () => {
  it('selects a content rule through its fast pattern and evaluates its options', () => {
    const d = new Detector(rules('alert tcp any any -> any 80 (msg:"admin"; content:"GET"; depth:3; content:"/admin"; nocase; distance:0; sid:1;)'), { evaluator });
    expect(sids(d, { payload: 'GET /ADMIN/x HTTP/1.1' })).toEqual([1]);
    // fast pattern present but the depth option fails
    expect(sids(d, { payload: 'xxGET /admin' })).toEqual([]);
    // right bytes, wrong port group
    expect(sids(d, { payload: 'GET /admin', dstPort: 8080 })).toEqual([]);
    expect(d.summary.fastPatternRules).toBe(1);
  });

  it('groups rules by destination port, then source port, and runs any-port rules on every packet', () => {
    const d = new Detector(
      rules(
        [
          'alert tcp any any -> any 21 (msg:"ftp"; content:"USER"; sid:1;)',
          'alert tcp any 21 -> any any (msg:"ftp reply"; content:"230 "; sid:2;)',
          'alert tcp any any -> any any (msg:"any"; content:"USER"; sid:3;)',
          'alert udp any any -> any 53 (msg:"dns"; content:"USER"; sid:4;)',
        ].join('\n'),
      ),
      { evaluator },
    );
    expect(sids(d, { payload: 'USER bob', dstPort: 21 }).sort()).toEqual([1, 3]);
    expect(sids(d, { payload: '230 welcome', srcPort: 21, dstPort: 40000 })).toEqual([2]);
    expect(sids(d, { payload: 'USER bob', dstPort: 2121 })).toEqual([3]);
    expect(sids(d, { proto: 'udp', payload: 'USER', dstPort: 53 })).toEqual([4]);
  });

  it('matches IP-only rules through the address index exactly like a linear scan', () => {
    // Reputation-style rules: address lists, no content, like ET's compromised-ips rules.
    let seed = 5;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed;
    };
    const ip = () => `10.${rnd() % 4}.${rnd() % 4}.${rnd() % 8}`;
    const lines: string[] = [];
    for (let s = 1; s <= 40; s++) {
      const list = Array.from({ length: 1 + (rnd() % 6) }, () => (rnd() % 5 === 0 ? `${ip()}/30` : ip()));
      const dir = rnd() % 3;
      const header = dir === 0 ? `[${list.join(',')}] any -> $HOME_NET any` : dir === 1 ? `$HOME_NET any -> [${list.join(',')}] any` : `[${list.join(',')}] any <> any any`;
      lines.push(`alert ip ${header} (msg:"rep ${s}"; sid:${s};)`);
    }
    lines.push('alert ip any any -> any any (msg:"all"; ttl:1; sid:100;)');
    const vars = createVariableTable({ HOME_NET: '[10.0.0.0/14]', EXTERNAL_NET: 'any' });
    const list = rules(lines.join('\n'), vars);
    const d = new Detector(list, { evaluator, logLimit: 1000, maxQueue: 1000 });
    expect(d.summary.addressIndexedRules).toBe(40);
    for (let k = 0; k < 400; k++) {
      const spec: PacketSpec = { src: ip(), dst: ip(), proto: (['tcp', 'udp', 'icmp'] as const)[k % 3], ttl: k % 7 === 0 ? 1 : 64 };
      expect(sids(d, spec).sort((a, b) => a - b)).toEqual(naiveSids(list, spec).sort((a, b) => a - b));
    }
  });

  it('agrees with evaluating every rule one by one on random payloads', () => {
    const words = ['GET', 'POST', 'admin', 'passwd', '..', 'cmd.exe', 'select', 'union', 'A', 'ZZ'];
    const lines = words.flatMap((w, i) => [
      `alert tcp any any -> any 80 (msg:"w${i}"; content:"${w}"; nocase; sid:${i + 1};)`,
      `alert tcp any any -> any any (msg:"x${i}"; content:"${w}"; content:!"zzz"; sid:${i + 100};)`,
      `alert udp any any -> any any (msg:"u${i}"; content:"${w}"; offset:1; sid:${i + 200};)`,
    ]);
    lines.push('alert tcp any any -> any 80 (msg:"pcre only"; pcre:"/un.on/i"; sid:300;)');
    // ip rules narrowed by ip_proto are bucketed by protocol; the result must not change
    lines.push('alert ip any any -> any any (msg:"gre"; ip_proto:47; sid:400;)');
    lines.push('alert ip any any -> any any (msg:"tcp via ip"; ip_proto:6; content:"GET"; sid:401;)');
    lines.push('alert ip any any -> any any (msg:"not tcp"; ip_proto:!6; sid:402;)');
    // flow requirements are pre-checked by the engine; the outcome must not change
    lines.push('alert tcp any any -> any any (msg:"stateless"; flow:stateless; content:"GET"; sid:500;)');
    lines.push('alert tcp any any -> any any (msg:"to server"; flow:to_server,established; content:"GET"; sid:501;)');
    lines.push('alert tcp any any -> any any (msg:"not established"; flow:not_established; content:"GET"; sid:502;)');
    const list = rules(lines.join('\n'));
    const d = new Detector(list, { evaluator, logLimit: 1000, maxQueue: 1000 });
    let seed = 11;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed;
    };
    for (let k = 0; k < 300; k++) {
      const payload = Array.from({ length: 1 + (rnd() % 5) }, () => words[rnd() % words.length]!.toUpperCase()).join(rnd() % 2 ? ' ' : '');
      const spec: PacketSpec = { payload, proto: (['tcp', 'udp', 'ip'] as const)[k % 3], dstPort: k % 4 ? 80 : 8080 };
      expect(sids(d, spec).sort((a, b) => a - b)).toEqual(naiveSids(list, spec).sort((a, b) => a - b));
    }
  });

  it('logs at most 3 events per packet, longest content first, and counts the rest', () => {
    const list = rules(
      ['a', 'aa', 'aaa', 'aaaa', 'aaaaa'].map((c, i) => `alert tcp any any -> any any (msg:"${c}"; content:"${c}"; sid:${i + 1};)`).join('\n'),
    );
    const d = new Detector(list, { evaluator });
    expect(sids(d, { payload: 'aaaaa' })).toEqual([5, 4, 3]);
    expect(d.counters.queueOverflow).toBe(2);
    const byPriority = new Detector(list, { evaluator, logLimit: 5, orderEvents: 'priority' });
    expect(sids(byPriority, { payload: 'aaaaa' })).toHaveLength(5);
  });

  it('logs nothing for a packet a pass rule matches', () => {
    const d = new Detector(rules('alert tcp any any -> any any (msg:"a"; content:"evil"; sid:1;)\npass tcp 10.0.0.1 any -> any any (msg:"p"; content:"evil"; sid:2;)'), { evaluator });
    expect(sids(d, { src: '10.0.0.1', payload: 'evil' })).toEqual([]);
    expect(sids(d, { src: '10.0.0.9', payload: 'evil' })).toEqual([1]);
    expect(d.counters.passed).toBe(1);
  });

  it('applies the rule threshold and detection_filter on packet time', () => {
    const d = new Detector(
      rules(
        [
          'alert tcp any any -> any any (msg:"t"; content:"x"; threshold:type limit, track by_src, count 1, seconds 60; sid:1;)',
          'alert tcp any any -> any any (msg:"df"; content:"y"; detection_filter:track by_dst, count 2, seconds 60; sid:2;)',
        ].join('\n'),
      ),
      { evaluator },
    );
    expect([0, 1, 2, 61].map((t) => sids(d, { payload: 'x', tsSec: 1000 + t }))).toEqual([[1], [], [], [1]]);
    expect([0, 1, 2, 3].map((t) => sids(d, { payload: 'y', tsSec: 2000 + t }))).toEqual([[], [], [2], [2]]);
  });

  it('suppresses through a threshold file', () => {
    const { content } = parseThresholdFile('suppress gen_id 1, sig_id 1, track by_src, ip 10.0.0.1', 't');
    const d = new Detector(rules('alert tcp any any -> any any (msg:"a"; content:"evil"; sid:1;)'), { evaluator, filters: new EventFilters(content) });
    expect(sids(d, { src: '10.0.0.1', payload: 'evil' })).toEqual([]);
    expect(sids(d, { src: '10.0.0.2', payload: 'evil' })).toEqual([1]);
  });

  it('matches bidirectional rules both ways and IPv6 packets', () => {
    const list = rules('alert tcp 10.0.0.1 any <> 192.168.1.2 80 (msg:"bi"; content:"hi"; sid:1;)\nalert tcp any any -> any any (msg:"v6"; content:"six"; sid:2;)');
    const d = new Detector(list, { evaluator });
    expect(sids(d, { src: '192.168.1.2', srcPort: 80, dst: '10.0.0.1', dstPort: 5555, payload: 'hi' })).toEqual([1]);
    expect(sids(d, { src: '2001:db8::1', dst: '2001:db8::2', payload: 'six' })).toEqual([2]);
    expect(headerMatches(list[0]!, makePacket({ src: '10.0.0.3', payload: 'hi' }))).toBe(false);
  });

  it('tries rules that need an inspector buffer (dce_iface, sip_method) only on units that carry it', () => {
    const list = rules(
      [
        'alert tcp any any -> 10.0.0.0/8 [135,1024:] (msg:"dce"; flow:to_server,established; dce_iface:uuid 3919286a-b10c-11d0-9ba8-00c04fd92ef5; sid:1;)',
        'alert udp any any -> any any (msg:"sip"; sip_method:invite; sid:2;)',
        'alert tcp any any -> any any (msg:"plain"; dsize:>0; sid:3;)',
      ].join('\n'),
    );
    expect(list.map((r) => r.requiredBuffer)).toEqual(['dce_iface', 'sip_method', undefined]);
    const enc = (s: string) => new TextEncoder().encode(s);
    for (const planHotBytes of [Infinity, 0]) {
      const d = new Detector(list, { evaluator, planHotBytes, planBytesPerState: 0 });
      const flow = { id: 1, established: true, bits: new Set<string>(), clientBytes: 0, serverBytes: 0, service: undefined };
      const tcp = (): Packet => ({ ...makePacket({ src: '192.168.1.1', dst: '10.0.0.5', srcPort: 40000, dstPort: 49152, payload: 'x' }), flow, direction: 'client' });
      let pkt = tcp();
      expect(d.inspect(pkt, buffersOf(pkt)).map((e) => e.sid)).toEqual([3]);
      // Without the buffer the DCE rule was not even tried.
      expect(d.topRules(10).find((r) => r.sid === 1)?.checks ?? 0).toBe(0);
      pkt = tcp();
      const iface = enc('3919286a-b10c-11d0-9ba8-00c04fd92ef5');
      const withIface: InspectionBuffers = { get: (name) => (name === 'dce_iface' ? iface : buffersOf(pkt).get(name)) };
      expect(d.inspect(pkt, withIface).map((e) => e.sid).sort()).toEqual([1, 3]);
      const udp = makePacket({ proto: 'udp', srcPort: 5060, dstPort: 5060, payload: 'INVITE sip:a@b SIP/2.0' });
      expect(d.inspect(udp, buffersOf(udp)).map((e) => e.sid)).toEqual([]);
      const method = enc('INVITE');
      expect(d.inspect(udp, { get: (name) => (name === 'sip_method' ? method : buffersOf(udp).get(name)) }).map((e) => e.sid)).toEqual([2]);
    }
  });

  describe('scan plans (one merged pass per buffer)', () => {
    // A packet from port 5555 to port 80 of an HTTP flow reaches four groups: destination port 80,
    // source port 5555, the any-port group and the HTTP service group (a service:http rule on port 8080).
    const groupRules = [
      'alert tcp any any -> any 80 (msg:"dst"; content:"dstword"; sid:1;)',
      'alert tcp any 5555 -> any any (msg:"src"; content:"srcword"; sid:2;)',
      'alert tcp any any -> any any (msg:"any"; content:"anyword"; sid:3;)',
      'alert tcp any any -> any 8080 (msg:"svc"; service:http; content:"svcword"; sid:4;)',
      // one pattern in all four groups
      'alert tcp any any -> any 80 (msg:"same dst"; content:"same"; sid:5;)',
      'alert tcp any 5555 -> any any (msg:"same src"; content:"SAME"; nocase; sid:6;)',
      'alert tcp any any -> any any (msg:"same any"; content:"same"; sid:7;)',
      'alert tcp any any -> any 8080 (msg:"same svc"; service:http; content:"same"; sid:8;)',
      // a second buffer, searched by two groups
      'alert tcp any any -> any 80 (msg:"uri dst"; http_uri; content:"uriword"; sid:9;)',
      'alert tcp any any -> any any (msg:"uri any"; http_uri; content:"uriany"; sid:10;)',
      // raw_data patterns are searched in the pkt_data pass
      'alert tcp any any -> any any (msg:"raw any"; raw_data; content:"rawany"; sid:13;)',
      // rules without a fast pattern: address-indexed in the source group, always in the any group
      'alert tcp 10.0.0.1 5555 -> any any (msg:"src addr"; dsize:>0; sid:11;)',
      'alert tcp any any -> any any (msg:"always"; dsize:>30; sid:12;)',
    ].join('\n');

    /** Plans built on a key's first packet. */
    const EAGER = { planHotBytes: 0, planBytesPerState: 0 };

    function httpPacket(payload: string, flow = newFlow()): Packet {
      return { ...makePacket({ payload, srcPort: 5555, dstPort: 80 }), flow, direction: 'client' };
    }

    function newFlow(): NonNullable<Packet['flow']> {
      return { id: 1, established: true, bits: new Set(), clientBytes: 0, serverBytes: 0, service: 'http' };
    }

    it('finds every group\'s rules (destination, source, any, service) once when the key has a merged plan', () => {
      const list = rules(groupRules);
      const merged = new Detector(list, { evaluator, logLimit: 100, maxQueue: 100, ...EAGER });
      const separate = new Detector(list, { evaluator, logLimit: 100, maxQueue: 100, planHotBytes: Infinity });
      const pkt = httpPacket('dstword srcword anyword svcword same rawany');
      const uri = new TextEncoder().encode('/uriword/uriany');
      const bufs: InspectionBuffers = { get: (name) => (name === 'http_uri' ? uri : buffersOf(pkt).get(name)) };
      const got = merged.inspect(pkt, bufs).map((e) => e.sid);
      expect(got.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
      expect(separate.inspect(pkt, bufs).map((e) => e.sid).sort((a, b) => a - b)).toEqual(got);
      expect(merged.planStats).toMatchObject({ keys: 1, plans: 1 });
      // pkt_data (with the raw_data patterns) is searched by all four groups, http_uri by two: two merged
      // matchers, two passes in all
      expect(merged.planStats.mergedMatchers).toBe(2);
      expect(merged.counters.scannedBytes).toBe(pkt.payload.length + uri.length);
      expect(separate.counters.scannedBytes).toBe(4 * pkt.payload.length + 2 * uri.length);
      // each rule evaluated exactly once
      expect(merged.counters.evals).toBe(13);
      expect(merged.topRules(100).map((r) => r.checks)).toEqual(Array(13).fill(1));
    });

    it('keeps the separate passes until a key is hot, and within the memory budget', () => {
      const list = rules(groupRules);
      const payload = 'dstword srcword anyword svcword same';
      const lukewarm = new Detector(list, { evaluator, logLimit: 100, maxQueue: 100, planHotBytes: 7 * 5 * payload.length, planBytesPerState: 0 });
      const results: number[][] = [];
      for (let k = 0; k < 5; k++) {
        const pkt = httpPacket(payload);
        results.push(lukewarm.inspect(pkt, buffersOf(pkt)).map((e) => e.sid).sort((a, b) => a - b));
      }
      // five packets, four passes each (four groups search pkt_data; no http_uri here): below 7 * 5 payloads
      expect(lukewarm.planStats.plans).toBe(0);
      const hot = new Detector(list, { evaluator, logLimit: 100, maxQueue: 100, planHotBytes: 6 * payload.length, planBytesPerState: 0 });
      for (let k = 0; k < 5; k++) {
        const pkt = httpPacket(payload);
        expect(hot.inspect(pkt, buffersOf(pkt)).map((e) => e.sid).sort((a, b) => a - b)).toEqual(results[k]);
      }
      expect(hot.planStats.plans).toBe(1);
      const broke = new Detector(list, { evaluator, logLimit: 100, maxQueue: 100, ...EAGER, planMaxBytes: 0 });
      const pkt = httpPacket(payload);
      expect(broke.inspect(pkt, buffersOf(pkt)).map((e) => e.sid).sort((a, b) => a - b)).toEqual(results[0]);
      expect(broke.planStats.plans).toBe(0);
    });

    it('evaluates flowbits rules in the separate-pass order when the merged pass finds them in another order', () => {
      // The destination group runs before the any-port group: its setter and its isnotset test come first,
      // although the any-port group's patterns come first in the payload.
      const list = rules(
        [
          'alert tcp any any -> any 80 (msg:"set a"; content:"SETA"; flowbits:set,a; sid:1;)',
          'alert tcp any any -> any any (msg:"isset a"; content:"CHECKA"; flowbits:isset,a; sid:2;)',
          'alert tcp any any -> any 80 (msg:"isnotset b"; content:"CHECKB"; flowbits:isnotset,b; sid:3;)',
          'alert tcp any any -> any any (msg:"set b"; content:"SETB"; flowbits:set,b; sid:4;)',
        ].join('\n'),
      );
      for (const planHotBytes of [0, Infinity]) {
        const d = new Detector(list, { evaluator, logLimit: 100, maxQueue: 100, planHotBytes, planBytesPerState: 0 });
        const pkt = httpPacket('CHECKA SETB SETA CHECKB');
        expect(d.inspect(pkt, buffersOf(pkt)).map((e) => e.sid).sort((a, b) => a - b)).toEqual([1, 2, 3, 4]);
        expect(d.planStats.plans).toBe(planHotBytes === 0 ? 1 : 0);
      }
    });

    it('agrees with the separate passes on random rules, flowbits and packets', () => {
      let seed = 7;
      const rnd = () => {
        seed = (seed * 1103515245 + 12345) >>> 0;
        return seed >>> 8;
      };
      const words = ['GET', 'admin', 'passwd', 'cmd', 'select', 'union', 'ZZ', 'xx'];
      const headers = ['any any -> any 80', 'any any -> any [80,443]', 'any 5555 -> any any', 'any any -> any any', 'any any -> any 8080', 'any any -> any 53', '10.0.0.0/8 any -> any any'];
      const lines: string[] = [];
      for (let sid = 1; sid <= 120; sid++) {
        const header = headers[rnd() % headers.length]!;
        const opts: string[] = [];
        if (rnd() % 4 !== 0) opts.push(`content:"${words[rnd() % words.length]}"${rnd() % 2 ? '; nocase' : ''}`);
        else opts.push(`dsize:>${rnd() % 20}`);
        if (rnd() % 3 === 0) opts.push(`flowbits:${['set', 'isset', 'isnotset', 'unset', 'toggle'][rnd() % 5]},b${rnd() % 3}`);
        if (header.endsWith('8080') && rnd() % 2) opts.push('service:http');
        lines.push(`alert ${rnd() % 5 === 0 ? 'udp' : 'tcp'} ${header} (msg:"r${sid}"; ${opts.join('; ')}; sid:${sid};)`);
      }
      const list = rules(lines.join('\n'));
      const merged = new Detector(list, { evaluator, logLimit: 1000, maxQueue: 1000, ...EAGER });
      const separate = new Detector(list, { evaluator, logLimit: 1000, maxQueue: 1000, planHotBytes: Infinity });
      const flows = [newFlow(), newFlow()];
      for (let k = 0; k < 400; k++) {
        if (k % 50 === 0) for (const f of flows) f.bits.clear();
        const payload = Array.from({ length: 1 + (rnd() % 6) }, () => words[rnd() % words.length]!.toUpperCase()).join(rnd() % 2 ? ' ' : '');
        const spec: PacketSpec = { payload, proto: k % 5 === 0 ? 'udp' : 'tcp', srcPort: k % 3 ? 5555 : 40000, dstPort: [80, 443, 8080, 53, 9999][k % 5]!, src: k % 2 ? '10.1.2.3' : '172.16.0.1' };
        const service = k % 4 === 0 ? undefined : 'http';
        const got = [merged, separate].map((d, j) => {
          flows[j]!.service = service;
          const pkt: Packet = { ...makePacket(spec), flow: flows[j], direction: 'client' };
          return d.inspect(pkt, buffersOf(pkt)).map((e) => e.sid);
        });
        expect(got[0]).toEqual(got[1]);
        expect([...flows[0]!.bits].sort()).toEqual([...flows[1]!.bits].sort());
      }
      expect(merged.planStats.plans).toBeGreaterThan(3);
      expect(merged.counters.evals).toBe(separate.counters.evals);
    });
  });

  it('agrees with checks read from the packet itself on flow state, direction, services, HTTP sections and IPv6', () => {
    // The engine copies the packet fields its candidate checks read once per packet; this reference reads
    // them from the packet for every rule, as the engine did before.
    const list = rules(
      [
        'alert tcp any any -> any any (msg:"est"; flow:to_server,established; content:"GET"; sid:1;)',
        'alert tcp any any -> any any (msg:"to client"; flow:to_client; content:"GET"; sid:2;)',
        'alert tcp any any -> any any (msg:"not est"; flow:not_established; content:"GET"; sid:3;)',
        'alert tcp any any -> any any (msg:"stateless"; flow:stateless; content:"GET"; sid:4;)',
        'alert tcp any any -> any 8080 (msg:"svc"; service:http; content:"GET"; sid:5;)',
        'alert tcp any any -> any 8080 (msg:"svc dns"; service:dns; content:"GET"; sid:6;)',
        'alert tcp 10.0.0.1 any <> 192.168.1.2 80 (msg:"bi"; content:"GET"; sid:7;)',
        'alert tcp [2001:db8::1] any -> any any (msg:"v6 src"; content:"GET"; sid:8;)',
        'alert tcp any any -> any any (msg:"uri"; http_uri; content:"GET"; sid:9;)',
        'alert tcp any any -> any any (msg:"header"; http_header; content:"GET"; sid:10;)',
        'alert tcp any any -> any any (msg:"body"; file_data; content:"GET"; sid:11;)',
        'alert tcp any any -> any any (msg:"no flow"; dsize:>0; sid:12;)',
      ].join('\n'),
    );
    const d = new Detector(list, { evaluator, logLimit: 1000, maxQueue: 1000 });
    const scope = (r: Rule): number => {
      const http = r.buffers.some((b) => b.startsWith('http_'));
      if (!http) return 0;
      const body = r.buffers.some((b) => b === 'file_data' || b === 'http_client_body');
      const lineOnly = r.buffers.every((b) => !(b.startsWith('http_') || b === 'file_data') || b === 'http_uri' || b === 'http_raw_uri' || b === 'http_method');
      return (body ? 0 : 1) | (lineOnly ? 2 : 0);
    };
    const reference = (pkt: Packet, bufs: InspectionBuffers): number[] => {
      const state = createEvalState();
      return list
        .filter((r) => {
          const sc = scope(r);
          if (pkt.section !== undefined && sc !== 0 && ((pkt.section === 'body' && (sc & 1) !== 0) || (pkt.direction === 'server' && (sc & 2) !== 0))) return false;
          const svc = pkt.flow?.service;
          if (!headerMatches(r, pkt, svc === undefined || r.services.length === 0 || !r.services.includes(svc))) return false;
          if (r.services.length > 0 && svc !== undefined && !r.services.includes(svc)) return false;
          return matchRule(r, pkt, bufs, state);
        })
        .map((r) => r.sid);
    };
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const addrs = [
      ['10.0.0.1', '192.168.1.2'],
      ['192.168.1.2', '10.0.0.1'],
      ['2001:db8::1', '2001:db8::2'],
      ['2001:db8::2', '2001:db8::1'],
    ] as const;
    const ports = [80, 8080, 5555];
    let matched = 0;
    for (let k = 0; k < 400; k++) {
      const [src, dst] = addrs[rnd(addrs.length)]!;
      const base = makePacket({ src, dst, srcPort: ports[rnd(3)]!, dstPort: ports[rnd(3)]!, payload: 'GET /' });
      const service = [undefined, 'http', 'dns'][rnd(3)];
      const flow = rnd(4) === 0 ? undefined : { id: 1, established: rnd(2) === 1, bits: new Set<string>(), clientBytes: 0, serverBytes: 0, service };
      const direction = (['client', 'server', 'unknown'] as const)[rnd(3)]!;
      const section = [undefined, 'header', 'body'][rnd(3)] as Packet['section'];
      const pkt: Packet = { ...base, flow, direction, section };
      const http = Buffer.from('GET /');
      const bufs: InspectionBuffers = { get: (name) => (name === 'pkt_data' || name === 'raw_data' ? pkt.payload : name === 'http_uri' || name === 'http_header' || name === 'file_data' ? http : undefined) };
      const got = d.inspect(pkt, bufs).map((e) => e.sid);
      const want = reference(pkt, bufs);
      expect(got.sort((a, b) => a - b)).toEqual(want.sort((a, b) => a - b));
      matched += got.length;
    }
    expect(matched).toBeGreaterThan(400);
  });

  it('counts checks and matches per rule for the rule profiler', () => {
    const d = new Detector(rules('alert tcp any any -> any any (msg:"a"; content:"ab"; content:"cd"; sid:1;)'), { evaluator, profile: true });
    sids(d, { payload: 'ab' });
    sids(d, { payload: 'abcd' });
    const [top] = d.topRules(5);
    expect(top).toMatchObject({ sid: 1, checks: 2, matches: 1, alerts: 1 });
    expect(top!.timeUs).toBeGreaterThan(0);
  });
});
