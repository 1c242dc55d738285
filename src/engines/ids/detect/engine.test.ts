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

  it('counts checks and matches per rule for the rule profiler', () => {
    const d = new Detector(rules('alert tcp any any -> any any (msg:"a"; content:"ab"; content:"cd"; sid:1;)'), { evaluator, profile: true });
    sids(d, { payload: 'ab' });
    sids(d, { payload: 'abcd' });
    const [top] = d.topRules(5);
    expect(top).toMatchObject({ sid: 1, checks: 2, matches: 1, alerts: 1 });
    expect(top!.timeUs).toBeGreaterThan(0);
  });
});
