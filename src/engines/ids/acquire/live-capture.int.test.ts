import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../core/errors.js';
import { decodePacket } from '../decode/decode.js';
import type { RawPacket } from '../types.js';
import { readLiveCapture } from './live-capture.js';
import { liveCaptureMissing, vethPair } from '../../../../test/support/netns.js';

const missing = liveCaptureMissing('live capture tests');
if (missing) console.warn(missing);
const veth = vethPair('vg', 213);
const { hostIf, nsIp } = veth;

describe.skipIf(missing)('live capture on a veth pair into a network namespace', () => {
  beforeAll(() => veth.setUp());
  afterAll(() => veth.tearDown());

  it('captures and decodes the datagrams sent across the veth pair, then stops on abort', async () => {
    const ac = new AbortController();
    const got: RawPacket[] = [];
    let listening!: () => void;
    const ready = new Promise<void>((resolve) => (listening = resolve));
    const sock = createSocket('udp4');
    const timer = setTimeout(() => ac.abort(), 15_000);
    const sender = ready.then(async () => {
      for (let i = 0; i < 4; i++) {
        await new Promise<void>((resolve) => sock.send(`vigil-live-${i}`, 9999, nsIp, () => resolve()));
        await new Promise((r) => setTimeout(r, 50));
      }
    });
    for await (const raw of readLiveCapture({ iface: hostIf, filter: `udp and dst port 9999`, signal: ac.signal, onListening: listening })) {
      got.push(raw);
      if (got.length === 4) ac.abort();
    }
    await sender;
    sock.close();
    clearTimeout(timer);
    expect(got.map((r) => r.num)).toEqual([1, 2, 3, 4]);
    const pkts = got.map((r) => decodePacket(r, { checksums: 'none' }));
    expect(pkts.map((p) => Buffer.from(p.payload).toString())).toEqual([0, 1, 2, 3].map((i) => `vigil-live-${i}`));
    for (const p of pkts) {
      expect(p.layers).toEqual(['eth', 'ipv4', 'udp']);
      expect(p.dstPort).toBe(9999);
    }
  });

  it('reports a missing interface as IDS_CAPTURE_LIVE', async () => {
    let err: unknown;
    try {
      for await (const _ of readLiveCapture({ iface: 'vigil-nope0' })) void _;
    } catch (e) {
      err = e;
    }
    expect(isAppError(err) && err.code).toBe('IDS_CAPTURE_LIVE');
  });
});

describe('live capture arguments', () => {
  it('refuses an interface name that is not one', async () => {
    let err: unknown;
    try {
      for await (const _ of readLiveCapture({ iface: 'eth0; rm -rf /' })) void _;
    } catch (e) {
      err = e;
    }
    expect(isAppError(err) && err.code).toBe('IDS_CAPTURE_LIVE');
  });
});
