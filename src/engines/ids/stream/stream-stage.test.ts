import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTcp, writePcap } from '../../../../test/support/pcap-writer.js';
import { decodePacket } from '../decode/decode.js';
import { runIds } from '../index.js';
import { BasicFlowStage, idsConfigSchema, PacketBuffers, type PipelineStage } from '../pipeline.js';
import type { Ipv4Info, Packet } from '../types.js';
import { FlowTable } from '../flow/flow-table.js';
import { FlowStreamStage, pduToPacket } from './stream-stage.js';

const C = { src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 80 };
const S = { src: '10.0.0.2', dst: '10.0.0.1', sport: 80, dport: 40000 };
const conversation = [
  buildTcp({ ...C, flags: 'S', seq: 100 }),
  buildTcp({ ...S, flags: 'SA', seq: 500, ack: 101 }),
  buildTcp({ ...C, flags: 'A', seq: 101, ack: 501 }),
  buildTcp({ ...C, flags: 'PA', seq: 101, ack: 501, payload: 'GET /vigil-spl' }),
  buildTcp({ ...C, flags: 'PA', seq: 115, ack: 501, payload: 'it-pattern HTTP/1.0\r\n\r\n' }),
  buildTcp({ ...S, flags: 'PA', seq: 501, ack: 138, payload: 'HTTP/1.0 200 OK\r\n\r\n' }),
  buildTcp({ ...C, flags: 'FA', seq: 138, ack: 520 }),
  buildTcp({ ...S, flags: 'FA', seq: 520, ack: 139 }),
];

describe('FlowStreamStage', () => {
  it('fits the pipeline stage contract and hands each PDU to detection once, turned to its direction', () => {
    const stage: PipelineStage = new FlowStreamStage(() => new PacketBuffers());
    const units: Packet[] = [];
    const ctx = { detect: (unit: Packet, b: PacketBuffers) => units.push({ ...unit, payload: b.get('pkt_data') ?? new Uint8Array() }) };
    const packets = conversation.map((f, i) => decodePacket({ num: i + 1, tsSec: 1000 + i, tsUsec: 0, linkType: 1, data: f, wireLen: f.length }));
    for (const p of packets) stage.onPacket(p, new PacketBuffers(), ctx);
    stage.finish?.(ctx);
    expect(units.map((u) => [u.direction, Buffer.from(u.payload).toString()])).toEqual([
      ['client', 'GET /vigil-split-pattern HTTP/1.0\r\n\r\n'],
      ['server', 'HTTP/1.0 200 OK\r\n\r\n'],
    ]);
    // The client PDU was completed by a server packet: its headers are turned to the client's view.
    const req = units[0];
    expect(req.reassembled).toBe(true);
    expect([(req.ip as Ipv4Info).src, req.srcPort, req.dstPort]).toEqual([0x0a000001, 40000, 80]);
    expect(req.flow?.established).toBe(true);
  });

  it('flushes a flow that times out with its own headers and flow, not those of the packet that expired it', () => {
    const stage = new FlowStreamStage(() => new PacketBuffers(), { flow: { tcpTimeoutSec: 10 } });
    const units: Packet[] = [];
    const ctx = { detect: (unit: Packet) => units.push(unit) };
    // Flow A: handshake and a request nobody answers; a SYN of flow B; 60 s later, a packet of flow C
    // expires A, whose PDU must not take B's (the last TCP packet seen) or C's headers.
    const frames = [
      ...conversation.slice(0, 4),
      buildTcp({ src: '10.9.9.9', dst: '10.0.0.2', sport: 50000, dport: 22, flags: 'S', seq: 7 }),
      buildTcp({ src: '10.8.8.8', dst: '10.0.0.2', sport: 50001, dport: 25, flags: 'S', seq: 9 }),
    ];
    const packets = frames.map((f, i) => decodePacket({ num: i + 1, tsSec: i < 5 ? 1000 + i : 1060, tsUsec: 0, linkType: 1, data: f, wireLen: f.length }));
    for (const p of packets) stage.onPacket(p, new PacketBuffers(), ctx);
    expect(units).toHaveLength(1);
    const u = units[0]!;
    expect(Buffer.from(u.payload).toString()).toBe('GET /vigil-spl');
    expect([(u.ip as Ipv4Info).src, u.srcPort, u.dstPort, u.raw.num]).toEqual([0x0a000001, 40000, 80, 4]);
    expect(u.flow).toBe(packets[3]!.flow);
    expect(u.flow).not.toBe(packets[4]!.flow);
    expect(u.flow).not.toBe(packets[5]!.flow);
  });

  const dir = mkdtempSync(join(tmpdir(), 'vigil-stage-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lets a rule find a pattern split across two segments through the real pipeline, exactly once', async () => {
    const pcap = join(dir, 'split.pcap');
    writePcap(pcap, conversation);
    const rules = [{ text: 'alert tcp any any -> any 80 (msg:"split"; flow:to_server,established; content:"vigil-split-pattern"; sid:1000001; rev:1;)', name: 'inline' }];
    const base = { pcaps: [pcap], rules, alertMode: 'none' as const, checksums: 'none' as const };
    // Per-packet flow tracking without reassembly cannot see the split pattern (the HTTP inspector, which
    // gathers a header block across packets, is left out).
    const without = await runIds({ ...base, stages: [new BasicFlowStage()], httpInspector: false });
    expect(without.alertsBySid.get('1:1000001') ?? 0).toBe(0);
    const withStream = await runIds({ ...base, stages: [new FlowStreamStage(() => new PacketBuffers())] });
    expect(withStream.alertsBySid.get('1:1000001')).toBe(1);
    // The pipeline's default flow stage is this one.
    const byDefault = await runIds(base);
    expect(byDefault.alertsBySid.get('1:1000001')).toBe(1);
  });

  it('logs stream anomalies with builtinRules and takes Snort\'s max_window and small_segments limits', async () => {
    const pcap = join(dir, 'limits.pcap');
    const ws = [1, 3, 3, 7]; // window scale 7 on both SYNs
    writePcap(pcap, [
      buildTcp({ ...C, flags: 'S', seq: 100, options: ws }),
      buildTcp({ ...S, flags: 'SA', seq: 500, ack: 101, options: ws }),
      buildTcp({ ...C, flags: 'A', seq: 101, ack: 501, window: 0 }), // 129:19: closed before any data
      buildTcp({ ...C, flags: 'PA', seq: 101, ack: 501, window: 10_000, payload: 'a' }), // 1.28 MB window
      buildTcp({ ...C, flags: 'PA', seq: 102, ack: 501, window: 100, payload: 'b' }),
    ]);
    const base = { pcaps: [pcap], rules: [], alertMode: 'none' as const, checksums: 'none' as const, builtinRules: true };
    const plain = await runIds(base);
    expect([...plain.alertsBySid.keys()].filter((k) => k.startsWith('129:'))).toEqual(['129:19']);
    const limited = await runIds({ ...base, streamLimits: { maxWindow: 1 << 20, smallSegments: { count: 2, maximumSize: 10 } } });
    expect(Object.fromEntries([...limited.alertsBySid].filter(([k]) => k.startsWith('129:')))).toEqual({ '129:19': 1, '129:6': 1, '129:12': 1 });
    // The config file's stream section carries them (the CLI passes them on as streamLimits).
    const conf = idsConfigSchema.parse({ stream: { maxWindow: 1 << 20, smallSegments: { count: 2, maximumSize: 10 } } });
    expect(conf.stream).toEqual({ inspectSegments: false, maxWindow: 1 << 20, smallSegments: { count: 2, maximumSize: 10 } });
    expect(idsConfigSchema.parse({}).stream).toEqual({ inspectSegments: false, maxWindow: 0 });
    expect(idsConfigSchema.safeParse({ stream: { maxWindow: -1 } }).success).toBe(false);
    expect(idsConfigSchema.safeParse({ stream: { smallSegments: { count: 2 } } }).success).toBe(false);
  });

  it('lets the HTTP inspector parse a request split across two segments through the default pipeline', async () => {
    const pcap = join(dir, 'split-http.pcap');
    writePcap(pcap, conversation);
    const rules = [{ text: 'alert tcp any any -> any 80 (msg:"uri"; flow:to_server,established; http_uri; content:"/vigil-split-pattern"; sid:1000002; rev:1;)', name: 'inline' }];
    const result = await runIds({ pcaps: [pcap], rules, alertMode: 'none', checksums: 'none' });
    expect(result.alertsBySid.get('1:1000002')).toBe(1);
  });

  it('builds a PDU unit with the fields of a decoded packet in the same order, whichever side completed it', () => {
    const frame = conversation[5];
    const pkt = decodePacket({ num: 1, tsSec: 1000, tsUsec: 0, linkType: 1, data: frame, wireLen: frame.length });
    const flow = new FlowTable().process(pkt)!;
    for (const direction of ['client', 'server'] as const) {
      const unit = pduToPacket({ flow, direction, data: new Uint8Array([1, 2, 3]), seq: 7, packet: pkt });
      // One field order means one hidden class for every packet the stages and detection see.
      expect(Object.keys(unit)).toEqual(Object.keys(pkt));
      expect(Object.keys(unit.ip!)).toEqual(Object.keys(pkt.ip!));
      expect(Object.keys(unit.tcp!)).toEqual(Object.keys(pkt.tcp!));
      expect([unit.reassembled, unit.direction, unit.tcp!.seq]).toEqual([true, direction, 7]);
    }
  });
});
