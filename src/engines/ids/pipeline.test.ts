import { describe, expect, it } from 'vitest';
import { makePacket, type PacketSpec } from '../../../test/ids/packet.js';
import { BasicFlowStage, PacketBuffers, runIds, type PacketIo } from './pipeline.js';
import { defaultRuleIo } from './index.js';
import type { Packet, RawPacket } from './types.js';

const SYN = 0x02;
const ACK = 0x10;
const PSH = 0x08;
const RST = 0x04;

function feed(stage: BasicFlowStage, spec: PacketSpec): Packet {
  const p = makePacket(spec);
  stage.onPacket(p);
  return p;
}

const client = { src: '10.0.0.1', srcPort: 40000, dst: '192.168.1.2', dstPort: 80 };
const server = { src: '192.168.1.2', srcPort: 80, dst: '10.0.0.1', dstPort: 40000 };

describe('BasicFlowStage', () => {
  it('marks a TCP session established when the handshake completes, with client/server direction', () => {
    const f = new BasicFlowStage();
    const syn = feed(f, { ...client, flags: SYN, tsSec: 1 });
    const synAck = feed(f, { ...server, flags: SYN | ACK, tsSec: 1 });
    expect(syn.flow!.established).toBe(false);
    expect(synAck.flow!.established).toBe(false);
    expect([syn.direction, synAck.direction]).toEqual(['client', 'server']);
    const ack = feed(f, { ...client, flags: ACK, tsSec: 1 });
    expect(ack.flow!.established).toBe(true);
    const data = feed(f, { ...server, flags: PSH | ACK, payload: 'hello', tsSec: 2 });
    expect(data.flow).toBe(syn.flow);
    expect(data.direction).toBe('server');
    expect(data.flow!.serverBytes).toBe(5);
    expect(f.flows).toBe(1);
  });

  it('takes a session seen midstream as established, its first sender as the client', () => {
    const f = new BasicFlowStage();
    const p = feed(f, { ...server, flags: PSH | ACK, payload: 'x' });
    expect(p.flow!.established).toBe(true);
    expect(p.direction).toBe('client');
  });

  it('treats the SYN/ACK sender as the server when the SYN was not captured', () => {
    const f = new BasicFlowStage();
    const p = feed(f, { ...server, flags: SYN | ACK });
    expect(p.direction).toBe('server');
    expect(feed(f, { ...client, flags: ACK }).direction).toBe('client');
  });

  it('makes UDP established once both sides have spoken', () => {
    const f = new BasicFlowStage();
    const q = feed(f, { ...client, proto: 'udp', dstPort: 53 });
    expect(q.flow!.established).toBe(false);
    const r = feed(f, { ...server, proto: 'udp', srcPort: 53 });
    expect(r.flow).toBe(q.flow);
    expect(r.flow!.established).toBe(true);
  });

  it('starts a new session after the idle timeout and on a new SYN, and keeps flowbits per session', () => {
    const f = new BasicFlowStage({ tcpTimeout: 10 });
    const a = feed(f, { ...client, flags: PSH | ACK, tsSec: 100 });
    a.flow!.bits.add('seen');
    expect(feed(f, { ...client, flags: PSH | ACK, tsSec: 105 }).flow!.bits.has('seen')).toBe(true);
    const later = feed(f, { ...client, flags: PSH | ACK, tsSec: 200 });
    expect(later.flow).not.toBe(a.flow);
    expect(later.flow!.bits.size).toBe(0);
    const again = feed(f, { ...client, flags: SYN, tsSec: 201 });
    expect(again.flow).not.toBe(later.flow);
    expect(feed(f, { ...client, flags: RST, tsSec: 202 }).flow).toBe(again.flow);
  });

  it('keeps the table bounded, pruning the oldest flow', () => {
    const f = new BasicFlowStage({ maxFlows: 3 });
    const first = feed(f, { ...client, srcPort: 1, flags: ACK });
    const second = feed(f, { ...client, srcPort: 2, flags: ACK });
    feed(f, { ...client, srcPort: 3, flags: ACK });
    feed(f, { ...client, srcPort: 4, flags: ACK }); // prunes flow 1
    expect(f.pruned).toBe(1);
    expect(feed(f, { ...client, srcPort: 2, flags: ACK }).flow).toBe(second.flow);
    expect(feed(f, { ...client, srcPort: 1, flags: ACK }).flow).not.toBe(first.flow);
    expect(f.flows).toBe(5);
  });

  it('tracks IPv6 sessions and ignores fragments', () => {
    const f = new BasicFlowStage();
    const a = feed(f, { src: '2001:db8::1', dst: '2001:db8::2', srcPort: 5, dstPort: 6, flags: ACK });
    const b = feed(f, { src: '2001:db8::2', dst: '2001:db8::1', srcPort: 6, dstPort: 5, flags: ACK });
    expect(b.flow).toBe(a.flow);
    expect(b.direction).toBe('server');
  });
});

describe('runIds', () => {
  const frames: RawPacket[] = [1, 2, 3].map((n) => ({ num: n, tsSec: 1, tsUsec: 0, linkType: 1, data: new Uint8Array(60), wireLen: 60 }));
  /** A PacketIo that hands out prepared packets, so this test checks the pipeline, not the reader. */
  const io = (packets: Packet[]): PacketIo => ({
    read: (_path, firstNum) => frames.map((f, i) => ({ ...f, num: firstNum + i })),
    createDecoder: () => {
      let i = 0;
      return { decode: () => packets[i++ % packets.length]! };
    },
  });

  it('runs stages before detection, lets a stage add buffers and hold a packet back', async () => {
    const packets = [makePacket({ payload: 'aaa' }), makePacket({ payload: 'bbb' }), makePacket({ payload: 'ccc' })];
    const seen: string[] = [];
    const stage = {
      name: 'inspect',
      onPacket(pkt: Packet, buffers: PacketBuffers) {
        buffers.set('http_uri', new TextEncoder().encode('/evil'));
        // hold back the second packet, as a reassembler would
        return Buffer.from(pkt.payload).toString() !== 'bbb';
      },
    };
    const result = await runIds(
      {
        pcaps: ['mem'],
        rules: [{ text: 'alert tcp any any -> any any (msg:"uri"; content:"/evil"; http_uri; sid:1;)', name: 'inline' }],
        alertMode: 'none',
        stages: [stage],
        // No flow / stream stage: this checks the stage mechanics on single packets.
        flowStream: false,
        onAlert: (a) => seen.push(Buffer.from(a.packet.payload).toString()),
      },
      io(packets),
      defaultRuleIo,
    );
    expect(seen).toEqual(['aaa', 'ccc']);
    expect(result.stats.packets).toBe(3);
    expect(result.stats.alerts).toBe(2);
  });

  /** A PacketIo over a list of packets (numbered in order). */
  const listIo = (packets: Packet[]): PacketIo => ({
    read: (_path, firstNum) => packets.map((p, i) => ({ ...p.raw, num: firstNum + i })),
    createDecoder: () => {
      let i = 0;
      return { decode: () => packets[i++]! };
    },
  });

  it('logs the events stages raise (after the stages run) and decoder events, only with builtinRules', async () => {
    const packets = [makePacket({ payload: 'one' }), makePacket({ payload: 'two' })];
    packets[0]!.events.push({ gid: 116, sid: 45, msg: 'decoder event' });
    const stage = {
      name: 'inspect',
      onPacket(pkt: Packet) {
        if (Buffer.from(pkt.payload).toString() === 'two') pkt.events.push({ gid: 122, sid: 1, msg: 'stage event' });
      },
    };
    const run = (builtinRules: boolean) =>
      runIds({ pcaps: ['mem'], rules: [], alertMode: 'none', stages: [stage], flowStream: false, portScan: false, builtinRules }, listIo(packets.map((p) => ({ ...p, events: [...p.events] }))), defaultRuleIo);
    const on = await run(true);
    expect([...on.alertsBySid]).toEqual([
      ['116:45', 1],
      ['122:1', 1],
    ]);
    // The decoder-event count is what the decoder raised; stage events are not decoder events.
    expect(on.stats.decoderEvents).toBe(1);
    expect(on.stats.decodeErrors).toBe(1);
    const off = await run(false);
    expect(off.alertsBySid.size).toBe(0);
    expect(off.stats.decoderEvents).toBe(1);
  });

  it('runs the port_scan stage by default and logs its events with builtinRules', async () => {
    // One scanner sends SYNs to 40 closed ports of one host, each answered by a RST: a TCP portscan (122:1).
    const packets: Packet[] = [];
    for (let port = 1000; port < 1040; port++) {
      packets.push(makePacket({ src: '10.0.0.9', srcPort: 50000, dst: '192.168.1.2', dstPort: port, flags: SYN, tsSec: 100 }));
      packets.push(makePacket({ src: '192.168.1.2', srcPort: port, dst: '10.0.0.9', dstPort: 50000, flags: RST | ACK, tsSec: 100 }));
    }
    const fresh = () => listIo(packets.map((p) => ({ ...p, events: [] })));
    const result = await runIds({ pcaps: ['mem'], rules: [], alertMode: 'none', builtinRules: true }, fresh(), defaultRuleIo);
    expect(Object.fromEntries(result.alertsBySid)).toEqual({ '122:1': 1 });
    const off = await runIds({ pcaps: ['mem'], rules: [], alertMode: 'none', builtinRules: true, portScan: false }, fresh(), defaultRuleIo);
    expect(off.alertsBySid.size).toBe(0);
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(runIds({ pcaps: ['mem'], rules: [], alertMode: 'none', signal: controller.signal }, io([makePacket()]), defaultRuleIo)).rejects.toThrow();
  });
  it('reads a live source until stop aborts, then ends normally with statistics and passive verdicts', async () => {
    // A live source that yields two packets, then waits for the stop signal like a capture would.
    const packets = [makePacket({ proto: 'udp', payload: 'live-EVIL', dstPort: 9 }), makePacket({ proto: 'udp', payload: 'quiet', dstPort: 9 })];
    const stop = new AbortController();
    let spec: { iface: string; filter?: string } | undefined;
    const io: PacketIo = {
      read: () => [],
      async *readLive(s) {
        spec = s;
        for (let i = 0; i < packets.length; i++) yield { ...packets[i]!.raw, num: i + 1 };
        if (s.signal?.aborted !== true) await new Promise<void>((resolve) => s.signal?.addEventListener('abort', () => resolve(), { once: true }));
      },
      createDecoder: () => {
        let i = 0;
        return { decode: () => packets[i++]! };
      },
    };
    const seen: string[] = [];
    const run = runIds(
      {
        pcaps: [],
        rules: [{ text: 'drop udp any any -> any any (msg:"evil"; content:"EVIL"; sid:1;)', name: 'inline' }],
        alertMode: 'none',
        inline: true,
        portScan: false,
        live: { iface: 'veth0', filter: 'udp', stop: stop.signal },
        onAlert: (a) => {
          seen.push(a.verdict ?? '');
          stop.abort();
        },
      },
      io,
      defaultRuleIo,
    );
    const result = await run;
    expect(spec).toMatchObject({ iface: 'veth0', filter: 'udp' });
    expect(seen).toEqual(['cant_drop']);
    expect(result.stats.packets).toBe(2);
    expect(result.verdicts).toMatchObject({ allowed: 2, dropped: 0, wouldDrop: 1 });
  });

  it('refuses a live source when the packet source cannot capture', async () => {
    await expect(runIds({ pcaps: [], rules: [], alertMode: 'none', live: { iface: 'eth0' } }, io([]), defaultRuleIo)).rejects.toThrow(/cannot capture live/);
  });
});
