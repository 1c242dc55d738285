import { describe, expect, it } from 'vitest';
import { buildIcmp, buildTcp, buildUdp } from '../../../../test/support/pcap-writer.js';
import { decodePacket } from '../decode/decode.js';
import type { Packet } from '../types.js';
import { FlowTable, type Flow, type FlowEndReason } from './flow-table.js';

let num = 0;
function pkt(frame: Uint8Array, tsSec = 1000): Packet {
  num++;
  return decodePacket({ num, tsSec, tsUsec: 0, linkType: 1, data: frame, wireLen: frame.length });
}
const C = { src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 80 };
const S = { src: '10.0.0.2', dst: '10.0.0.1', sport: 80, dport: 40000 };

describe('FlowTable', () => {
  it('gives both directions one flow, with client and server from the SYN, established after the handshake', () => {
    const t = new FlowTable();
    const syn = pkt(buildTcp({ ...C, flags: 'S', seq: 1 }));
    const f = t.process(syn) as Flow;
    expect(syn.direction).toBe('client');
    expect(f.established).toBe(false);
    const synack = pkt(buildTcp({ ...S, flags: 'SA', seq: 100, ack: 2 }));
    expect(t.process(synack)).toBe(f);
    expect(synack.direction).toBe('server');
    expect(f.established).toBe(false);
    const ack = pkt(buildTcp({ ...C, flags: 'A', seq: 2, ack: 101 }));
    t.process(ack);
    expect(f.established).toBe(true);
    const data = pkt(buildTcp({ ...C, flags: 'PA', seq: 2, ack: 101, payload: 'hello' }));
    t.process(data);
    expect([f.clientBytes, f.serverBytes, f.clientPackets, f.serverPackets]).toEqual([5, 0, 3, 1]);
    expect(t.size).toBe(1);
  });

  it('makes the receiver of a first SYN+ACK the client', () => {
    const t = new FlowTable();
    const synack = pkt(buildTcp({ ...S, flags: 'SA' }));
    const f = t.process(synack) as Flow;
    expect(synack.direction).toBe('server');
    expect([f.clientAddr, f.clientPort]).toEqual([0x0a000001, 40000]);
  });

  it('treats a session picked up midstream as established only when midstream is on', () => {
    const on = new FlowTable();
    expect(on.process(pkt(buildTcp({ ...C, flags: 'PA', payload: 'x' })))?.established).toBe(true);
    const off = new FlowTable({ midstream: false });
    expect(off.process(pkt(buildTcp({ ...C, flags: 'PA', payload: 'x' })))?.established).toBe(false);
  });

  it('completes a simultaneous open (SYN from both sides)', () => {
    const t = new FlowTable();
    const f = t.process(pkt(buildTcp({ ...C, flags: 'S', seq: 1 }))) as Flow;
    t.process(pkt(buildTcp({ ...S, flags: 'S', seq: 50 })));
    t.process(pkt(buildTcp({ ...C, flags: 'SA', seq: 1, ack: 51 })));
    expect(f.established).toBe(false);
    t.process(pkt(buildTcp({ ...S, flags: 'SA', seq: 50, ack: 2 })));
    expect(f.established).toBe(true);
  });

  it('establishes UDP once traffic went both ways', () => {
    const t = new FlowTable();
    const f = t.process(pkt(buildUdp({ src: '10.0.0.1', dst: '10.0.0.2', sport: 5000, dport: 53 }))) as Flow;
    expect(f.established).toBe(false);
    const reply = pkt(buildUdp({ src: '10.0.0.2', dst: '10.0.0.1', sport: 53, dport: 5000 }));
    t.process(reply);
    expect(reply.direction).toBe('server');
    expect(f.established).toBe(true);
  });

  it('tracks IPv6 and ICMP flows', () => {
    const t = new FlowTable();
    const a = pkt(buildTcp({ src: '2001:db8::1', dst: '2001:db8::2', sport: 1, dport: 2, flags: 'S' }));
    const b = pkt(buildTcp({ src: '2001:db8::2', dst: '2001:db8::1', sport: 2, dport: 1, flags: 'SA' }));
    expect(t.process(a)).toBe(t.process(b));
    const ping = pkt(buildIcmp({ src: '10.0.0.1', dst: '10.0.0.2', type: 8 }));
    expect(t.process(ping)?.proto).toBe(1);
    expect(t.size).toBe(2);
  });

  it('expires idle flows by protocol timeout and reports why', () => {
    const ended: [number, FlowEndReason][] = [];
    const t = new FlowTable({ onEnd: (f, r) => ended.push([f.proto, r]) });
    t.process(pkt(buildUdp({ src: '10.0.0.1', dst: '10.0.0.2', sport: 5000, dport: 53 }), 1000));
    t.process(pkt(buildTcp({ ...C, flags: 'S' }), 1000));
    t.expire(1031);
    expect(ended).toEqual([[17, 'timeout']]);
    t.expire(1181);
    expect(ended).toEqual([
      [17, 'timeout'],
      [6, 'timeout'],
    ]);
    expect(t.stats.timedOut).toBe(2);
    expect(t.size).toBe(0);
  });

  it('expires short-lived UDP flows while long-lived TCP flows stay, as packets arrive', () => {
    const ended: string[] = [];
    const t = new FlowTable({ onEnd: (f, r) => ended.push(`${f.proto}:${f.clientPort}:${r}`) });
    for (let i = 0; i < 50; i++) t.process(pkt(buildTcp({ ...C, sport: 1000 + i, flags: 'S' }), 1000));
    for (let i = 0; i < 50; i++) t.process(pkt(buildUdp({ src: '10.0.0.1', dst: '10.0.0.2', sport: 2000 + i, dport: 53 }), 1001));
    t.process(pkt(buildTcp({ ...C, sport: 3000, flags: 'S' }), 1040));
    expect(ended).toHaveLength(50);
    expect(ended.every((e) => e.startsWith('17:') && e.endsWith(':timeout'))).toBe(true);
    expect(t.size).toBe(51);
    // A closed TCP flow leaves after the 5 s close timeout.
    t.process(pkt(buildTcp({ ...S, dport: 3000, flags: 'R' }), 1041));
    t.process(pkt(buildTcp({ ...C, sport: 4000, flags: 'S' }), 1047));
    expect(ended.at(-1)).toBe('6:3000:closed');
  });

  it('prunes the least recently used flow beyond maxFlows and counts it', () => {
    const t = new FlowTable({ maxFlows: 3 });
    const flows = [1, 2, 3].map((p) => t.process(pkt(buildUdp({ src: '10.0.0.1', dst: '10.0.0.2', sport: p, dport: 53 }))) as Flow);
    t.process(pkt(buildUdp({ src: '10.0.0.2', dst: '10.0.0.1', sport: 53, dport: 1 }))); // flow 1 used again
    t.process(pkt(buildUdp({ src: '10.0.0.1', dst: '10.0.0.2', sport: 4, dport: 53 })));
    expect(t.size).toBe(3);
    expect(t.stats.pruned).toBe(1);
    expect(t.get(flows[1].key)).toBeUndefined();
    expect(t.get(flows[0].key)).toBe(flows[0]);
  });

  it('finds every flow again and ends each once when the flows outgrow the hash buckets', () => {
    const ended: Flow[] = [];
    const t = new FlowTable({ onEnd: (f) => ended.push(f) });
    const udp = (i: number, reply: boolean) =>
      buildUdp(reply ? { src: `10.1.${i >> 8}.${i & 255}`, dst: '10.0.0.1', sport: 53, dport: 1024 + i } : { src: '10.0.0.1', dst: `10.1.${i >> 8}.${i & 255}`, sport: 1024 + i, dport: 53 });
    // 3,000 flows: past 1,024 buckets the table doubles twice while flows are added.
    const flows = Array.from({ length: 3000 }, (_, i) => t.process(pkt(udp(i, false))) as Flow);
    expect(new Set(flows).size).toBe(3000);
    for (let i = 0; i < 3000; i++) {
      const reply = pkt(udp(i, true));
      expect(t.process(reply)).toBe(flows[i]);
      expect(reply.direction).toBe('server');
    }
    expect(flows.every((f) => f.established)).toBe(true);
    expect(t.size).toBe(3000);
    t.endAll();
    expect(ended).toHaveLength(3000);
    expect(new Set(ended).size).toBe(3000);
    expect(t.size).toBe(0);
  });

  it('names a flow by its first packet, also when that came from the server', () => {
    const t = new FlowTable();
    expect(t.process(pkt(buildTcp({ ...C, flags: 'S' })))?.key).toBe(`6|${0x0a000001}|40000|${0x0a000002}|80`);
    const f = t.process(pkt(buildTcp({ ...S, sport: 81, flags: 'SA' }))) as Flow;
    expect(f.key).toBe(`6|${0x0a000002}|81|${0x0a000001}|40000`);
    expect(t.get(f.key)).toBe(f);
  });

  it('closes a flow on RST and starts a new one when a SYN reuses the tuple', () => {
    const t = new FlowTable();
    const f = t.process(pkt(buildTcp({ ...C, flags: 'S' }))) as Flow;
    t.process(pkt(buildTcp({ ...S, flags: 'R' })));
    expect(f.closed).toBe(true);
    const g = t.process(pkt(buildTcp({ ...C, flags: 'S', seq: 9 })));
    expect(g).not.toBe(f);
    expect(t.stats.closed).toBe(1);
  });

  it('leaves fragments and non-IP packets without a flow', () => {
    const t = new FlowTable();
    const p = pkt(buildTcp({ ...C, ipFlags: 1 }));
    expect(p.isFragment).toBe(true);
    expect(t.process(p)).toBeUndefined();
    expect(p.flow).toBeUndefined();
  });
});
