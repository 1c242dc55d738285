import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTcp, type TcpSpec } from '../../../../test/support/pcap-writer.js';
import { sharedMissing, sharedPath } from '../../../../test/support/shared.js';
import { readCaptureFile } from '../acquire/capture-reader.js';
import { decodePacket } from '../decode/decode.js';
import { PacketDecoder } from '../decode/packet-decoder.js';
import { FlowTable } from '../flow/flow-table.js';
import type { Packet } from '../types.js';
import { TcpReassembler, type ReassembledPdu, type TcpReassemblerOptions } from './tcp-reassembler.js';

const C = { src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 80 };
const S = { src: '10.0.0.2', dst: '10.0.0.1', sport: 80, dport: 40000 };
const CISN = 1000;
const SISN = 5000;

/** A test conversation: flow table + reassembler, collecting PDUs. */
class Conv {
  readonly flows: FlowTable;
  readonly stream: TcpReassembler;
  readonly pdus: ReassembledPdu[] = [];
  readonly packets: Packet[] = [];
  private n = 0;
  constructor(options: TcpReassemblerOptions = {}) {
    this.stream = new TcpReassembler(options);
    this.flows = new FlowTable({ onEnd: (f) => this.pdus.push(...this.stream.flushFlow(f)) });
  }
  send(side: 'c' | 's', spec: Partial<TcpSpec> & { offset?: number }): Packet {
    const base = side === 'c' ? C : S;
    const isn = side === 'c' ? CISN : SISN;
    const seq = spec.seq ?? (isn + 1 + (spec.offset ?? 0)) >>> 0;
    const frame = buildTcp({ ...base, flags: 'PA', ack: side === 'c' ? SISN + 1 : CISN + 1, ...spec, seq });
    this.n++;
    const p = decodePacket({ num: this.n, tsSec: 1000 + this.n, tsUsec: 0, linkType: 1, data: frame, wireLen: frame.length });
    this.flows.process(p);
    this.pdus.push(...this.stream.process(p));
    this.packets.push(p);
    return p;
  }
  handshake(): void {
    this.send('c', { flags: 'S', seq: CISN, ack: 0 });
    this.send('s', { flags: 'SA', seq: SISN });
    this.send('c', { flags: 'A' });
  }
  end(): void {
    this.flows.endAll();
  }
  text(dir: 'client' | 'server'): string[] {
    return this.pdus.filter((p) => p.direction === dir).map((p) => Buffer.from(p.data).toString('latin1'));
  }
}

describe('TcpReassembler', () => {
  it('keeps every PDU intact when later pending data grows through reused buffers', () => {
    const c = new Conv();
    c.handshake();
    // Text that differs at every offset and from message to message.
    const message = (tag: string, size: number) => Array.from({ length: size }, (_, i) => String.fromCharCode(65 + ((i * 7 + tag.charCodeAt(0)) % 58))).join('');
    const sent: string[] = [];
    let offset = 0;
    for (const [tag, size] of [['a', 60_000], ['b', 20_000], ['c', 45_000], ['d', 3_000]] as const) {
      const text = message(tag, size);
      sent.push(text);
      for (let at = 0; at < size; at += 1400) c.send('c', { offset: offset + at, payload: text.slice(at, at + 1400) });
      offset += size;
      // The server's answer completes the client's message (one PDU each, all under 64 KiB).
      c.send('s', { offset: sent.length - 1, payload: 'k', ack: CISN + 1 + offset });
    }
    expect(c.text('client')).toEqual(sent);
  });

  it('delivers a pattern split across two segments exactly once, when the server answers', () => {
    const c = new Conv();
    c.handshake();
    c.send('c', { offset: 0, payload: 'GET /ev' });
    c.send('c', { offset: 7, payload: 'il HTTP/1.0\r\n\r\n' });
    expect(c.pdus).toHaveLength(0);
    const resp = c.send('s', { offset: 0, payload: 'HTTP/1.0 200 OK\r\n\r\n' });
    expect(c.text('client')).toEqual(['GET /evil HTTP/1.0\r\n\r\n']);
    expect(c.pdus[0].packet).toBe(resp);
    expect(c.pdus[0].seq).toBe(CISN + 1);
    c.end();
    expect(c.text('server')).toEqual(['HTTP/1.0 200 OK\r\n\r\n']);
    expect(c.stream.stats.pdus).toBe(2);
  });

  it('puts out-of-order segments back in order', () => {
    const c = new Conv();
    c.handshake();
    c.send('c', { offset: 8, payload: 'CCCC' });
    c.send('c', { offset: 4, payload: 'BBBB' });
    c.send('c', { offset: 0, payload: 'AAAA' });
    c.send('c', { flags: 'FA', offset: 12 });
    expect(c.text('client')).toEqual(['AAAABBBBCCCC']);
    expect(c.stream.stats.outOfOrder).toBe(2);
  });

  it('drops retransmissions without duplicating data', () => {
    const c = new Conv();
    c.handshake();
    c.send('c', { offset: 0, payload: 'hello ' });
    c.send('c', { offset: 0, payload: 'hello ' });
    c.send('c', { offset: 6, payload: 'world' });
    c.send('c', { offset: 3, payload: 'lo wor' });
    c.end();
    expect(c.text('client')).toEqual(['hello world']);
    expect(c.stream.stats.retransmits).toBe(2);
    expect(c.stream.stats.overlaps).toBe(0);
  });

  for (const [policy, want] of [
    ['first', 'GET /goil'],
    ['last', 'GET /evod'],
  ] as const) {
    it(`keeps the ${policy} bytes of an overlap with different data and counts it`, () => {
      const c = new Conv({ policy });
      c.handshake();
      c.send('c', { offset: 0, payload: 'GET /go' });
      c.send('c', { offset: 5, payload: 'evil' }); // overlaps 'go' with 'ev', then 'il'
      c.send('c', { offset: 7, payload: 'od' }); // overlaps again
      c.end();
      expect(c.text('client')[0]).toBe(want);
      expect(c.stream.stats.overlaps).toBeGreaterThan(0);
    });
  }

  it('resolves overlaps among queued out-of-order segments by policy', () => {
    for (const [policy, want] of [
      ['first', 'xxAAAAyy'],
      ['last', 'xxBBBByy'],
    ] as const) {
      const c = new Conv({ policy });
      c.handshake();
      c.send('c', { offset: 2, payload: 'AAAA' });
      c.send('c', { offset: 2, payload: 'BBBByy' });
      c.send('c', { offset: 0, payload: 'xx' });
      c.end();
      expect(c.text('client'), policy).toEqual([want]);
    }
  });

  it('raises 129:7 once the overlap limit is passed', () => {
    const c = new Conv({ maxOverlaps: 2 });
    c.handshake();
    c.send('c', { offset: 0, payload: 'aaaa' });
    const evs: string[] = [];
    for (let i = 0; i < 4; i++) evs.push(...c.send('c', { offset: 0, payload: `b${i}bb` }).events.map((e) => `${e.gid}:${e.sid}`));
    expect(evs).toEqual(['129:7']);
  });

  it('skips a hole the peer acknowledged (capture loss) without bridging it in one PDU', () => {
    const c = new Conv();
    c.handshake();
    c.send('c', { offset: 0, payload: 'part one|' });
    // 'LOST' at offset 9..13 never captured
    c.send('c', { offset: 13, payload: '|part two' });
    c.send('s', { flags: 'A', ack: CISN + 1 + 22 });
    c.end();
    expect(c.text('client')).toEqual(['part one|', '|part two']);
    expect(c.stream.stats.gaps).toBe(1);
  });

  it('skips a hole when too much data waits behind it', () => {
    const c = new Conv({ maxQueuedBytes: 8 });
    c.handshake();
    c.send('c', { offset: 0, payload: 'head' });
    c.send('c', { offset: 10, payload: '0123456789' });
    expect(c.text('client')).toEqual(['head']);
    c.end();
    expect(c.text('client')).toEqual(['head', '0123456789']);
  });

  it('picks up a session midstream only when allowed', () => {
    const on = new Conv();
    on.send('c', { seq: 777, payload: 'mid' });
    on.end();
    expect(on.text('client')).toEqual(['mid']);
    expect(on.stream.stats.midstream).toBe(1);
    const off = new Conv({ midstream: false });
    off.send('c', { seq: 777, payload: 'mid' });
    off.end();
    expect(off.pdus).toHaveLength(0);
  });

  it('delivers TCP Fast Open data on a SYN, raising 129:2 only without the Fast Open option', () => {
    const tfo = new Conv();
    const syn = tfo.send('c', { flags: 'S', seq: CISN, ack: 0, options: [34, 10, 1, 2, 3, 4, 5, 6, 7, 8], payload: 'early' });
    tfo.send('s', { flags: 'SA', seq: SISN, ack: CISN + 6 });
    tfo.send('c', { flags: 'A', offset: 5 });
    tfo.send('c', { offset: 5, payload: ' data' });
    tfo.end();
    // The SYN+ACK acknowledges the SYN's data, but one short segment is not flushed on an ACK.
    expect(tfo.text('client')).toEqual(['early data']);
    expect(syn.events).toEqual([]);
    expect(tfo.stream.stats.fastOpen).toBe(1);
    const plain = new Conv();
    const s2 = plain.send('c', { flags: 'S', seq: CISN, ack: 0, payload: 'x' });
    expect(s2.events.map((e) => `${e.gid}:${e.sid}`)).toEqual(['129:2']);
  });

  it('follows a split handshake (SYN, SYN from the server, SYN+ACK, ACK)', () => {
    const c = new Conv();
    c.send('c', { flags: 'S', seq: CISN, ack: 0 });
    c.send('s', { flags: 'S', seq: SISN, ack: 0 });
    c.send('c', { flags: 'SA', seq: CISN, ack: SISN + 1 });
    c.send('s', { flags: 'A', offset: 0 });
    c.send('s', { offset: 0, payload: 'server speaks first' });
    c.send('c', { offset: 0, payload: 'client answers' });
    c.end();
    expect(c.text('server')).toEqual(['server speaks first']);
    expect(c.text('client')).toEqual(['client answers']);
    expect(c.flows.stats.created).toBe(1);
  });

  it('flushes on FIN and at maxPdu, and flags data after FIN or RST', () => {
    const c = new Conv({ maxPdu: 10 });
    c.handshake();
    c.send('c', { offset: 0, payload: '0123456789abc' });
    expect(c.text('client')).toEqual(['0123456789abc']);
    c.send('c', { flags: 'FA', offset: 13, payload: 'end' });
    expect(c.text('client')).toEqual(['0123456789abc', 'end']);
    const late = c.send('c', { offset: 17, payload: 'late' });
    expect(late.events.map((e) => e.sid)).toContain(3);
    const r = new Conv();
    r.handshake();
    r.send('c', { flags: 'R', offset: 0 });
    const afterRst = r.send('c', { offset: 0, payload: 'x' });
    expect(afterRst.events.map((e) => e.sid)).toContain(8);
  });

  it('sheds load past maxTotalBytes by flushing the direction that just grew', () => {
    const c = new Conv({ maxTotalBytes: 10 });
    c.handshake();
    c.send('c', { offset: 0, payload: 'abcdef' });
    expect(c.pdus).toHaveLength(0);
    expect(c.stream.heldBytes).toBe(6);
    c.send('c', { offset: 6, payload: 'ghijkl' });
    expect(c.text('client')).toEqual(['abcdefghijkl']);
    expect(c.stream.heldBytes).toBe(0);
    expect(c.stream.stats.memcapFlushes).toBe(1);
  });

  it('handles sequence numbers that wrap around 2^32', () => {
    const c = new Conv();
    const isn = 0xfffffffa;
    c.send('c', { flags: 'S', seq: isn, ack: 0 });
    c.send('s', { flags: 'SA', seq: SISN, ack: (isn + 1) >>> 0 });
    c.send('c', { seq: (isn + 1) >>> 0, payload: 'wrap' });
    c.send('c', { seq: (isn + 5) >>> 0, payload: 'around' });
    c.end();
    expect(c.text('client')).toEqual(['wraparound']);
  });
});

/** TCP timestamp option bytes (kind 8): value, echo reply. */
function tsOpt(val: number, ecr = 0): number[] {
  return [8, 10, val >>> 24, (val >>> 16) & 0xff, (val >>> 8) & 0xff, val & 0xff, ecr >>> 24, (ecr >>> 16) & 0xff, (ecr >>> 8) & 0xff, ecr & 0xff];
}
const sids = (p: Packet): number[] => p.events.filter((e) => e.gid === 129).map((e) => e.sid);

describe('flush on acknowledgment', () => {
  const head = 'GET /ev';
  const rest = `il HTTP/1.0\r\nX-Pad: ${'p'.repeat(200)}\r\n\r\n`;

  it('flushes both client segments as one PDU when the server acknowledges them without data', () => {
    const c = new Conv();
    c.handshake();
    c.send('c', { offset: 0, payload: head });
    c.send('c', { offset: head.length, payload: rest });
    expect(c.pdus).toHaveLength(0);
    const ack = c.send('s', { flags: 'A', offset: 0, ack: CISN + 1 + head.length + rest.length });
    expect(c.text('client')).toEqual([head + rest]);
    expect(c.pdus[0].packet).toBe(ack);
    c.send('s', { offset: 0, payload: 'HTTP/1.0 200 OK\r\n\r\n' });
    c.end();
    // Inspected once: the server's data flushed no second client PDU.
    expect(c.text('client')).toHaveLength(1);
    expect(c.text('server')).toEqual(['HTTP/1.0 200 OK\r\n\r\n']);
  });

  it('waits for two segments and 192 bytes before an acknowledgment flushes (Snort\'s atom splitter)', () => {
    const c = new Conv();
    c.handshake();
    const l1 = 'Microsoft Windows XP';
    const l2 = '\r\n(C) Copyright Microsoft Corp.';
    c.send('c', { offset: 0, payload: l1 });
    c.send('s', { flags: 'A', offset: 0, ack: CISN + 1 + l1.length }); // one short segment: kept
    c.send('c', { offset: l1.length, payload: l2 });
    c.send('s', { flags: 'A', offset: 0, ack: CISN + 1 + l1.length + l2.length }); // two segments, 51 bytes: kept
    expect(c.pdus).toHaveLength(0);
    c.send('s', { offset: 0, payload: 'dir' }); // the other side talks: flushed whole
    expect(c.text('client')).toEqual(['Microsoft Windows XP\r\n(C) Copyright Microsoft Corp.']);
  });

  it('does not flush on an acknowledgment that covers only part of the pending data', () => {
    const c = new Conv();
    c.handshake();
    c.send('c', { offset: 0, payload: head });
    c.send('c', { offset: head.length, payload: rest });
    const ack = c.send('s', { flags: 'A', offset: 0, ack: CISN + 1 + head.length + 5 });
    expect(c.pdus).toHaveLength(0);
    expect(c.stream.holdsDataOf(ack)).toBe(false); // a pure ACK carries no data
    c.send('s', { flags: 'A', offset: 0, ack: CISN + 1 + head.length + rest.length });
    expect(c.text('client')).toEqual([head + rest]);
  });

  it('tells whether the last packet\'s bytes are still buffered', () => {
    const c = new Conv({ maxPdu: 8 });
    c.handshake();
    const a = c.send('c', { offset: 0, payload: 'abc' });
    expect(c.stream.holdsDataOf(a)).toBe(true);
    const b = c.send('c', { offset: 3, payload: 'defghi' }); // reaches maxPdu: flushed with this packet
    expect(c.stream.holdsDataOf(b)).toBe(false);
    expect(c.stream.holdsDataOf(a)).toBe(false);
    const again = c.send('c', { offset: 0, payload: 'abc' }); // a retransmission adds nothing
    expect(c.stream.holdsDataOf(again)).toBe(false);
  });
});

describe('gid 129 window and timestamp events', () => {
  /** A handshake where both SYNs carry timestamps (and window scale options when given). */
  function tsHandshake(c: Conv, wscale?: { c?: number; s?: number }): void {
    const ws = (n: number | undefined): number[] => (n === undefined ? [] : [1, 3, 3, n]);
    c.send('c', { flags: 'S', seq: CISN, ack: 0, options: [...tsOpt(100), ...ws(wscale?.c)] });
    c.send('s', { flags: 'SA', seq: SISN, options: [...tsOpt(7000, 100), ...ws(wscale?.s)] });
    c.send('c', { flags: 'A', options: tsOpt(101, 7000) });
  }

  it('raises 129:4 and ignores a segment whose timestamp is older than the last one (PAWS)', () => {
    const c = new Conv();
    tsHandshake(c);
    const good = c.send('c', { offset: 0, payload: 'good', options: tsOpt(150, 7000) });
    expect(sids(good)).toEqual([]);
    const old = c.send('c', { offset: 4, payload: 'EVIL', options: tsOpt(120, 7000) });
    expect(sids(old)).toEqual([4]);
    const next = c.send('c', { offset: 4, payload: 'next', options: tsOpt(160, 7000) });
    expect(sids(next)).toEqual([]);
    c.end();
    expect(c.text('client')).toEqual(['goodnext']);
    expect(c.stream.stats.pawsRejects).toBe(1);
  });

  it('accepts timestamps that wrap around 2^32 and raises nothing when only one side uses timestamps', () => {
    const c = new Conv();
    c.send('c', { flags: 'S', seq: CISN, ack: 0, options: tsOpt(0xfffffff0) });
    c.send('s', { flags: 'SA', seq: SISN, options: tsOpt(5, 0xfffffff0) });
    const wrapped = c.send('c', { offset: 0, payload: 'wrap', options: tsOpt(0x10, 5) });
    expect(sids(wrapped)).toEqual([]);
    const one = new Conv();
    one.send('c', { flags: 'S', seq: CISN, ack: 0, options: tsOpt(100) });
    one.send('s', { flags: 'SA', seq: SISN });
    const noTs = one.send('c', { offset: 0, payload: 'x', options: tsOpt(1) });
    const noTs2 = one.send('c', { offset: 1, payload: 'y' });
    expect([...sids(noTs), ...sids(noTs2)]).toEqual([]);
  });

  it('starts checking a side that uses timestamps only after its SYN, and refuses a zero timestamp (129:4)', () => {
    const c = new Conv();
    c.send('c', { flags: 'S', seq: CISN, ack: 0 }); // no timestamp on the SYN
    c.send('s', { flags: 'SA', seq: SISN, options: tsOpt(7000) });
    const zero = c.send('c', { offset: 0, payload: 'ZERO', options: tsOpt(0, 7000) });
    expect(sids(zero)).toEqual([4]);
    const first = c.send('c', { offset: 0, payload: 'good', options: tsOpt(500, 7000) });
    expect(sids(first)).toEqual([]);
    const older = c.send('c', { offset: 4, payload: 'OLD!', options: tsOpt(400, 7000) });
    expect(sids(older)).toEqual([4]);
    c.end();
    expect(c.text('client')).toEqual(['good']);
    // Without a receiver that uses timestamps, a zero one is fine.
    const n = new Conv();
    n.handshake();
    expect(sids(n.send('c', { offset: 0, payload: 'x', options: tsOpt(0) }))).toEqual([]);
  });

  it('raises 129:14 on a segment without a timestamp once both sides use them', () => {
    const c = new Conv();
    tsHandshake(c);
    const missing = c.send('c', { offset: 0, payload: 'no ts' });
    expect(sids(missing)).toEqual([14]);
    const rst = c.send('c', { flags: 'R', offset: 5 });
    expect(sids(rst)).toEqual([]); // RSTs need no timestamp
    c.end();
    expect(c.text('client')).toEqual(['no ts']); // flagged, still reassembled
  });

  it('raises 129:6 for a window over maxWindow after scaling, only when both SYNs offered scaling', () => {
    const c = new Conv({ maxWindow: 1 << 20 });
    tsHandshake(c, { c: 7, s: 7 });
    const big = c.send('c', { offset: 0, payload: 'x', window: 10_000, options: tsOpt(200, 7000) }); // 1.28 MB
    expect(sids(big)).toEqual([6]);
    const small = c.send('c', { offset: 1, payload: 'y', window: 8000, options: tsOpt(201, 7000) }); // 1.02 MB
    expect(sids(small)).toEqual([]);
    const unscaled = new Conv({ maxWindow: 1 << 20 });
    tsHandshake(unscaled, { c: 7 }); // the server did not offer scaling: windows are not scaled
    expect(sids(unscaled.send('c', { offset: 0, payload: 'x', window: 10_000, options: tsOpt(200, 7000) }))).toEqual([]);
    const off = new Conv();
    tsHandshake(off, { c: 14, s: 14 });
    expect(sids(off.send('c', { offset: 0, payload: 'x', window: 65535, options: tsOpt(200, 7000) }))).toEqual([]);
  });

  it('raises 129:19 when the client closes its window before receiving data', () => {
    const c = new Conv();
    c.handshake();
    const slam = c.send('c', { flags: 'A', window: 0 });
    expect(sids(slam)).toEqual([19]);
    c.send('s', { offset: 0, payload: 'data' });
    const full = c.send('c', { flags: 'A', window: 0, ack: SISN + 1 + 4 }); // a real zero window: data was received
    expect(sids(full)).toEqual([]);
    const mid = new Conv();
    mid.send('c', { seq: 777, ack: SISN + 1, payload: 'mid' });
    mid.send('s', { flags: 'A', ack: 780, seq: SISN + 1 });
    expect(sids(mid.send('c', { flags: 'A', seq: 780, window: 0 }))).toEqual([]);
  });

  it('raises 129:15 for a RST outside the receiver window and keeps the session going', () => {
    const c = new Conv();
    c.handshake();
    c.send('c', { offset: 0, payload: 'before' });
    const wild = c.send('s', { flags: 'R', seq: SISN + 1 + 100_000 });
    expect(sids(wild)).toEqual([15]);
    expect(c.stream.stats.badResets).toBe(1);
    const later = c.send('s', { offset: 0, payload: 'still talking' });
    expect(sids(later)).toEqual([]); // not taken as a reset: no 129:8
    const ok = c.send('s', { flags: 'R', offset: 13 });
    expect(sids(ok)).toEqual([]);
    expect(sids(c.send('s', { offset: 13, payload: 'x' }))).toEqual([8]);
  });

  it('raises 129:18 for a RST that carries data', () => {
    const c = new Conv();
    c.handshake();
    expect(sids(c.send('s', { flags: 'RA', offset: 0, payload: 'bye' }))).toEqual([18]);
  });

  it('raises 129:16 for a FIN past the first FIN, not for a retransmitted FIN', () => {
    const c = new Conv();
    c.handshake();
    c.send('c', { flags: 'FA', offset: 0, payload: 'end' });
    expect(sids(c.send('c', { flags: 'FA', offset: 0, payload: 'end' }))).toEqual([]);
    expect(sids(c.send('c', { flags: 'FA', offset: 10 }))).toEqual([16]);
  });

  it('raises 129:17 for an ACK past a FIN that was already acknowledged', () => {
    const c = new Conv();
    c.handshake();
    c.send('c', { flags: 'FA', offset: 0, payload: 'bye' }); // FIN at CISN+4
    expect(sids(c.send('s', { flags: 'A', offset: 0, ack: CISN + 5 }))).toEqual([]); // acknowledges the FIN
    expect(sids(c.send('s', { flags: 'A', offset: 0, ack: CISN + 5 }))).toEqual([]); // duplicate ACK
    expect(sids(c.send('s', { flags: 'A', offset: 0, ack: CISN + 50 }))).toEqual([17]);
    const before = new Conv();
    before.handshake();
    before.send('c', { flags: 'FA', offset: 0, payload: 'bye' });
    // Not yet acknowledged: a wild ACK is a capture-loss question, not 129:17.
    expect(sids(before.send('s', { flags: 'A', offset: 0, ack: CISN + 50 }))).toEqual([]);
  });

  it('raises 129:12 once a run of small segments reaches the count, and a large segment resets the run', () => {
    const c = new Conv({ smallSegments: { count: 3, maximumSize: 4 } });
    c.handshake();
    const evs = ['a', 'b', 'c', 'd', 'efgh', 'i', 'j', 'k'].map((p, i) => sids(c.send('c', { offset: i < 5 ? i : i + 3, payload: p })));
    expect(evs).toEqual([[], [], [12], [], [], [], [], [12]]);
    const off = new Conv();
    off.handshake();
    expect(['a', 'b', 'c', 'd'].flatMap((p, i) => sids(off.send('c', { offset: i, payload: p })))).toEqual([]);
  });

  it('raises 129:1 for a SYN with a new ISN on an established session and reassembles the new session from it', () => {
    const c = new Conv();
    c.handshake();
    c.send('c', { offset: 0, payload: 'old data' });
    const again = c.send('c', { flags: 'S', seq: CISN, ack: 0 }); // a retransmitted SYN: same ISN
    expect(sids(again)).toEqual([]);
    const nisn = 70_000;
    const syn = c.send('c', { flags: 'S', seq: nisn, ack: 0 });
    expect(sids(syn)).toEqual([1]);
    expect(c.text('client')).toEqual(['old data']); // flushed by the restart
    c.send('s', { flags: 'SA', seq: 90_000, ack: nisn + 1 });
    c.send('c', { flags: 'A', seq: nisn + 1, ack: 90_001 });
    c.send('c', { seq: nisn + 1, ack: 90_001, payload: 'new session' });
    c.send('s', { seq: 90_001, ack: nisn + 12, payload: 'reply' });
    c.end();
    expect(c.text('client')).toEqual(['old data', 'new session']);
    expect(c.text('server')).toEqual(['reply']);
    expect(c.stream.stats.restarts).toBe(1);
    expect(c.stream.heldBytes).toBe(0);
  });

  it('raises 129:13 when the server answers a SYN with a SYN (split handshake)', () => {
    const c = new Conv();
    c.send('c', { flags: 'S', seq: CISN, ack: 0 });
    expect(sids(c.send('s', { flags: 'S', seq: SISN, ack: 0 }))).toEqual([13]);
    const n = new Conv();
    n.send('c', { flags: 'S', seq: CISN, ack: 0 });
    expect(sids(n.send('s', { flags: 'SA', seq: SISN }))).toEqual([]);
  });

  it('raises 129:20 once for a two-way session without handshake when midstream pickup is off', () => {
    const c = new Conv({ midstream: false });
    const first = c.send('c', { seq: 777, payload: 'one way' });
    expect(sids(first)).toEqual([]);
    expect(sids(c.send('s', { seq: 9000, ack: 784, payload: 'reply' }))).toEqual([20]);
    expect(sids(c.send('c', { seq: 784, payload: 'again' }))).toEqual([]);
    const hs = new Conv({ midstream: false });
    hs.handshake();
    expect(sids(hs.send('c', { offset: 0, payload: 'x' }))).toEqual([]);
  });
});

describe('fuzz', () => {
  it('rebuilds the exact stream from shuffled, duplicated and overlapping copies of its segments', () => {
    let seed = 99;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let round = 0; round < 150; round++) {
      const len = 50 + rnd(400);
      const msg = Array.from({ length: len }, () => String.fromCharCode(97 + rnd(26))).join('');
      const segs: [number, number][] = [];
      for (let off = 0; off < len; ) {
        const l = 1 + rnd(40);
        segs.push([off, Math.min(len, off + l)]);
        off += l;
      }
      for (let k = rnd(10); k > 0; k--) {
        const a = rnd(len);
        segs.push([a, Math.min(len, a + 1 + rnd(30))]);
      }
      for (let i = segs.length - 1; i > 0; i--) {
        const j = rnd(i + 1);
        [segs[i], segs[j]] = [segs[j], segs[i]];
      }
      const c = new Conv({ policy: round % 2 === 0 ? 'first' : 'last' });
      c.handshake();
      for (const [a, b] of segs) c.send('c', { offset: a, payload: msg.slice(a, b) });
      c.end();
      expect(c.text('client').join(''), `round ${round}`).toBe(msg);
      expect(c.stream.heldBytes).toBe(0);
      expect(c.stream.stats.overlaps).toBe(0);
    }
  });

  it('never throws on random garbage segments', () => {
    let seed = 5;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const c = new Conv({ maxQueuedBytes: 4096, maxWindow: 1 << 16, smallSegments: { count: 3, maximumSize: 10 } });
    const flags = ['S', 'SA', 'A', 'PA', 'F', 'FA', 'R', 'RA', '', 'SF', 'U'];
    // Options: timestamps (also wrapping and zero), window scale (also past 14), and truncated or garbage options.
    const opts = (): number[] => {
      switch (rnd(6)) {
        case 0:
          return tsOpt(rnd(0x7fffffff) * 2, rnd(1000));
        case 1:
          return [1, 3, 3, rnd(256), ...tsOpt(rnd(50))];
        case 2:
          return [8, 10, 1, 2];
        case 3:
          return Array.from({ length: 4 * (1 + rnd(9)) }, () => rnd(256));
        default:
          return [];
      }
    };
    for (let i = 0; i < 5000; i++) {
      c.send(rnd(2) === 0 ? 'c' : 's', {
        flags: flags[rnd(flags.length)],
        seq: rnd(3) === 0 ? rnd(0x7fffffff) * 2 : CISN + rnd(5000),
        ack: rnd(0x7fffffff),
        window: rnd(65536),
        options: opts(),
        payload: 'z'.repeat(rnd(60)),
      });
    }
    c.end();
    expect(c.stream.stats.segments).toBeGreaterThan(0);
    expect(c.stream.heldBytes).toBe(0);
  });

  it('rebuilds the exact stream with timestamps, window scaling and random acknowledgments, rejecting only stale timestamps', () => {
    let seed = 17;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let round = 0; round < 100; round++) {
      const len = 50 + rnd(400);
      const msg = Array.from({ length: len }, () => String.fromCharCode(97 + rnd(26))).join('');
      const c = new Conv();
      // Timestamp clocks start anywhere, also just below the 2^32 wrap.
      let ts = rnd(2) === 0 ? 0xffffff00 + rnd(200) : rnd(1 << 30);
      const sts = rnd(1 << 30);
      c.send('c', { flags: 'S', seq: CISN, ack: 0, options: [...tsOpt(ts), 1, 3, 3, rnd(15)] });
      c.send('s', { flags: 'SA', seq: SISN, options: [...tsOpt(sts, ts), 1, 3, 3, rnd(15)] });
      let stale = 0;
      for (let off = 0; off < len; ) {
        const l = Math.min(len - off, 1 + rnd(40));
        ts = (ts + rnd(3)) >>> 0;
        // Now and then an injected copy with a stale timestamp and other bytes: PAWS must drop it.
        if (rnd(8) === 0) {
          const p = c.send('c', { offset: off, payload: 'X'.repeat(l), options: tsOpt((ts - 1000 - rnd(1000)) >>> 0, sts) });
          expect(sids(p)).toContain(4);
          stale++;
        }
        c.send('c', { offset: off, payload: msg.slice(off, off + l), window: rnd(65536), options: tsOpt(ts, sts) });
        off += l;
        // The server acknowledges some prefix now and then (pure ACKs flush what they cover).
        if (rnd(3) === 0) c.send('s', { flags: 'A', offset: 0, ack: CISN + 1 + rnd(off + 1), window: rnd(65536), options: tsOpt(sts, ts) });
      }
      c.end();
      expect(c.text('client').join(''), `round ${round}`).toBe(msg);
      expect(c.stream.heldBytes).toBe(0);
      expect(c.stream.stats.pawsRejects).toBe(stale);
      expect(c.stream.stats.overlaps).toBe(0);
    }
  });
});

const missing = sharedMissing('ids', 'pcaps');
describe.skipIf(missing)('real pcaps', () => {
  function run(file: string): { pdus: ReassembledPdu[]; payloadBytes: { client: number; server: number } } {
    const decoder = new PacketDecoder();
    const stream = new TcpReassembler();
    const pdus: ReassembledPdu[] = [];
    const flows = new FlowTable({ onEnd: (f) => pdus.push(...stream.flushFlow(f)) });
    const payloadBytes = { client: 0, server: 0 };
    for (const raw of readCaptureFile(join(sharedPath('ids', 'pcaps'), file))) {
      const p = decoder.decode(raw);
      flows.process(p);
      if (p.tcp && p.direction !== 'unknown') payloadBytes[p.direction] += p.payload.length;
      pdus.push(...stream.process(p));
    }
    flows.endAll();
    return { pdus, payloadBytes };
  }

  it('rebuilds the DVWA SQL injection requests as whole HTTP requests', () => {
    const { pdus } = run('cs-http_dvwa_sqlinjection.pcap');
    const requests = pdus.filter((p) => p.direction === 'client').map((p) => Buffer.from(p.data).toString('latin1'));
    expect(requests.length).toBeGreaterThan(0);
    for (const r of requests) expect(r).toMatch(/^(GET|POST) \S+ HTTP\/1\.[01]\r\n[\s\S]*\r\n\r\n/);
    expect(requests.some((r) => /sqli/i.test(r))).toBe(true);
  });

  it('survives mutated real traffic (decode -> flow -> stream) and ends holding nothing', () => {
    const frames = [...readCaptureFile(join(sharedPath('ids', 'pcaps'), 'cs-http_post.pcap'))];
    let seed = 3;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const decoder = new PacketDecoder();
    const stream = new TcpReassembler({ maxQueuedBytes: 2048 });
    const flows = new FlowTable({ onEnd: (f) => stream.flushFlow(f) });
    for (let round = 0; round < 40; round++) {
      for (const r of frames) {
        const data = Uint8Array.from(r.data);
        // Mutate TCP headers and payloads (past the Ethernet and IPv4 headers), sometimes the IP header.
        for (let k = rnd(4); k > 0; k--) data[rnd(3) === 0 ? 14 + rnd(20) : 34 + rnd(Math.max(1, data.length - 34))] = rnd(256);
        const p = decoder.decode({ ...r, data });
        flows.process(p);
        stream.process(p);
      }
    }
    flows.endAll();
    expect(stream.heldBytes).toBe(0);
    expect(stream.stats.segments).toBeGreaterThan(0);
  });

  it('delivers every client and server byte of a clean capture once', () => {
    const { pdus, payloadBytes } = run('cs-http_google.pcap');
    const got = { client: 0, server: 0 };
    for (const p of pdus) got[p.direction] += p.data.length;
    expect(got).toEqual(payloadBytes);
  });
});
