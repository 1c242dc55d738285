import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../core/errors.js';
import { buildTcp, buildUdp, LINK } from '../../../../test/support/pcap-writer.js';
import type { RawPacket } from '../types.js';
import { readCaptureFile } from './capture-reader.js';
import { PcapDumpWriter } from './pcap-dump.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-dump-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const eth = buildTcp({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 80, flags: 'PA', payload: 'odd-length!' });
const raw4 = buildUdp({ src: '10.0.0.1', dst: '10.0.0.2', sport: 5, dport: 53, payload: 'q', rawIp: true });
const packets: RawPacket[] = [
  { num: 1, tsSec: 1_700_000_000, tsUsec: 123_456, linkType: LINK.ETHERNET, data: eth, wireLen: eth.length + 10 },
  { num: 2, tsSec: 1_700_000_001, tsUsec: 999_999, linkType: LINK.ETHERNET, data: eth, wireLen: eth.length },
];
const strip = (p: RawPacket): unknown => ({ ...p, data: Buffer.from(p.data).toString('hex') });

function tcpdumpOk(): boolean {
  try {
    execFileSync('tcpdump', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('PcapDumpWriter', () => {
  it('writes a pcap that reads back packet for packet (bytes, timestamps, original lengths)', () => {
    const path = join(dir, 'a.pcap');
    const w = new PcapDumpWriter(path);
    for (const p of packets) w.write(p);
    w.close();
    expect(w.count).toBe(2);
    expect([...readCaptureFile(path)].map(strip)).toEqual(packets.map(strip));
    if (tcpdumpOk()) expect(execFileSync('tcpdump', ['-nr', path], { stdio: ['ignore', 'pipe', 'ignore'] }).toString()).toContain('10.0.0.1.1 > 10.0.0.2.80');
  });

  it('writes pcapng with one interface per link type', () => {
    const path = join(dir, 'b.pcapng');
    const w = new PcapDumpWriter(path, { format: 'pcapng' });
    const mixed = [...packets, { num: 3, tsSec: 1_700_000_002, tsUsec: 5, linkType: LINK.RAW, data: raw4, wireLen: raw4.length }];
    for (const p of mixed) w.write(p);
    w.close();
    expect([...readCaptureFile(path)].map(strip)).toEqual(mixed.map(strip));
  });

  it('refuses a second link type in a pcap and reports an unwritable path', () => {
    const w = new PcapDumpWriter(join(dir, 'c.pcap'));
    w.write(packets[0]);
    let err: unknown;
    try {
      w.write({ ...packets[1], linkType: LINK.RAW });
    } catch (e) {
      err = e;
    }
    w.close();
    expect(isAppError(err) && err.code).toBe('IDS_DUMP_LINKTYPE');
    let err2: unknown;
    try {
      new PcapDumpWriter(join(dir, 'missing', 'x.pcap'));
    } catch (e) {
      err2 = e;
    }
    expect(isAppError(err2) && err2.code).toBe('IDS_DUMP_WRITE');
  });

  it('handles packets larger than its write block', () => {
    const big = new Uint8Array(3 << 20).fill(7);
    const path = join(dir, 'big.pcap');
    const w = new PcapDumpWriter(path, { snapLen: 4 << 20 });
    w.write({ num: 1, tsSec: 1, tsUsec: 2, linkType: LINK.ETHERNET, data: big, wireLen: big.length });
    w.write(packets[0]);
    w.close();
    const back = [...readCaptureFile(path)];
    expect(back.map((p) => p.data.length)).toEqual([big.length, eth.length]);
  });
});
