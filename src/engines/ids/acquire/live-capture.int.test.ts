import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../core/errors.js';
import { decodePacket } from '../decode/decode.js';
import type { RawPacket } from '../types.js';
import { readLiveCapture } from './live-capture.js';
import { liveCaptureMissing } from '../../../../test/support/netns.js';

const missing = liveCaptureMissing('live capture tests');
if (missing) console.warn(missing);
const id = String(process.pid % 100000);
const ns = `vigil${id}`;
const hostIf = `vg${id}a`;
const nsIf = `vg${id}b`;
const octet = 10 + (process.pid % 200);
const hostIp = `10.213.${octet}.1`;
const nsIp = `10.213.${octet}.2`;
const ip = (...args: string[]): void => {
  execFileSync('ip', args, { stdio: 'ignore' });
};

describe.skipIf(missing)('live capture on a veth pair into a network namespace', () => {
  beforeAll(() => {
    ip('netns', 'add', ns);
    ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf);
    ip('link', 'set', nsIf, 'netns', ns);
    ip('addr', 'add', `${hostIp}/24`, 'dev', hostIf);
    ip('link', 'set', hostIf, 'up');
    ip('netns', 'exec', ns, 'ip', 'addr', 'add', `${nsIp}/24`, 'dev', nsIf);
    ip('netns', 'exec', ns, 'ip', 'link', 'set', nsIf, 'up');
  });
  afterAll(() => {
    try {
      ip('link', 'del', hostIf);
    } catch {
      // already gone with the namespace
    }
    ip('netns', 'del', ns);
  });

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
