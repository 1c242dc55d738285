import { describe, expect, it } from 'vitest';
import { buildIcmpMessage, buildIpv4, buildIpv4Fragment, buildIpv6, buildUdpDatagram, fragmentIpv4, fragmentIpv6, LINK, toBytes } from '../../../../test/support/pcap-writer.js';
import type { Packet, RawPacket } from '../types.js';
import { decodePacket } from './decode.js';
import { Defragmenter } from './defrag.js';

let n = 0;
function pkt(ip: Uint8Array, tsSec = 1000): Packet {
  n++;
  const raw: RawPacket = { num: n, tsSec, tsUsec: 0, linkType: ip[0] >> 4 === 6 ? LINK.IPV6 : LINK.IPV4, data: ip, wireLen: ip.length };
  return decodePacket(raw, { checksums: 'all' });
}
const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');
const msg = 'The quick brown fox jumps over the lazy dog, twice: the quick brown fox jumps over the lazy dog.';
const udp = buildUdpDatagram({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1234, dport: 53, payload: msg });
const whole = buildIpv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, id: 99 }, udp);

function feed(d: Defragmenter, frags: Uint8Array[]): Packet[] {
  const out: Packet[] = [];
  for (const f of frags) {
    const p = pkt(f);
    expect(p.isFragment).toBe(true);
    const w = d.process(p);
    if (w) out.push(w);
  }
  return out;
}

describe('IPv4 defragmentation', () => {
  it('rebuilds a datagram from in-order fragments with valid checksums', () => {
    const d = new Defragmenter({ decode: { checksums: 'all' } });
    const out = feed(d, fragmentIpv4(whole, 32));
    expect(out).toHaveLength(1);
    expect(out[0].rebuilt).toBe(true);
    expect(out[0].udp?.checksumOk).toBe(true);
    expect(out[0].ip?.version === 4 && out[0].ip.checksumOk).toBe(true);
    expect(text(out[0].payload)).toBe(msg);
    expect(d.pending).toBe(0);
    expect(d.heldBytes).toBe(0);
  });

  it('rebuilds from out-of-order fragments, only when the last hole is filled', () => {
    const frags = fragmentIpv4(whole, 24);
    const d = new Defragmenter();
    const order = [3, 0, 4, 2];
    expect(feed(d, order.map((i) => frags[i]))).toHaveLength(0);
    const out = feed(d, [frags[1]]);
    expect(out).toHaveLength(1);
    expect(text(out[0].payload)).toBe(msg);
  });

  it('never rebuilds when a fragment is missing, and times the datagram out', () => {
    const frags = fragmentIpv4(whole, 24);
    const d = new Defragmenter({ timeoutSec: 30 });
    expect(feed(d, [frags[0], frags[2], frags[3], frags[4]])).toHaveLength(0);
    expect(d.pending).toBe(1);
    d.expire(1000 + 31);
    expect(d.pending).toBe(0);
    expect(d.stats.timedOut).toBe(1);
  });

  it('keeps the first bytes on overlap with the first policy and the last bytes with the last policy', () => {
    const icmp = buildIcmpMessage({ type: 8, id: 1, seq: 1, payload: 'AAAAAAAABBBBBBBB' }); // 24 bytes
    const spec = { src: '10.0.0.1', dst: '10.0.0.2', proto: 1, id: 5 };
    const f0 = buildIpv4Fragment({ ...spec, offset: 0, more: true }, icmp.subarray(0, 16));
    const f1 = buildIpv4Fragment({ ...spec, offset: 16, more: false }, icmp.subarray(16));
    const evil = buildIpv4Fragment({ ...spec, offset: 8, more: true }, toBytes('XXXXXXXXXXXXXXXX'));
    const first = new Defragmenter({ policy: 'first' });
    const a = feed(first, [f0, evil, f1]);
    expect(text(a[0].payload)).toBe('AAAAAAAAXXXXXXXX');
    const last = new Defragmenter({ policy: 'last' });
    const fresh = [f0, evil, f1].map((f) => pkt(f));
    let b: Packet | undefined;
    for (const p of fresh) b = last.process(p) ?? b;
    // Later bytes win: the evil fragment overwrote 8..16, then the last fragment rewrote 16..24.
    expect(text(b?.payload ?? new Uint8Array())).toBe('XXXXXXXXBBBBBBBB');
    expect(fresh[1].events.map((e) => `${e.gid}:${e.sid}`)).toContain('123:8');
    expect(first.stats.overlaps).toBe(2); // evil over f0, then f1 over evil
  });

  it('drops a datagram that would exceed 65,535 bytes with 123:7', () => {
    const d = new Defragmenter();
    const p = pkt(buildIpv4Fragment({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, offset: 65528, more: false }, new Uint8Array(16)));
    expect(d.process(p)).toBeUndefined();
    expect(p.events.map((e) => `${e.gid}:${e.sid}`)).toContain('123:7');
  });

  it('prunes the oldest datagrams past the memory bound and counts them', () => {
    const d = new Defragmenter({ maxBytes: 100 });
    for (let id = 0; id < 10; id++) {
      feed(d, [buildIpv4Fragment({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, id, offset: 0, more: true }, new Uint8Array(40))]);
    }
    expect(d.heldBytes).toBeLessThanOrEqual(100);
    expect(d.stats.pruned).toBe(8);
  });
});

/** Fragments of `upper` whose unfragmentable part carries the given extension headers before the fragment header. */
function fragmentsWith(exts: readonly (0 | 43 | 60)[], upper: Uint8Array, chunk: number, id: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let off = 0; off < upper.length; off += chunk) {
    const part = upper.subarray(off, Math.min(off + chunk, upper.length));
    const ext = [...exts.map((type) => ({ type })), { type: 44 as const, fragOffset: off, more: off + chunk < upper.length, id }];
    out.push(buildIpv6({ src: '2001:db8::1', dst: '2001:db8::2', proto: 17, ext }, part));
  }
  return out;
}

describe('IPv6 defragmentation', () => {
  it('rebuilds a datagram from fragment headers', () => {
    const s = { src: '2001:db8::1', dst: '2001:db8::2' };
    const upper = buildUdpDatagram({ ...s, sport: 1, dport: 2, payload: msg });
    const frags = fragmentIpv6({ ...s, proto: 17, id: 77 }, upper, 40);
    const d = new Defragmenter({ decode: { checksums: 'all' } });
    const p0 = pkt(frags[0]);
    expect(p0.ip?.version === 6 && p0.ip.fragId).toBe(77);
    const out = feed(d, frags.reverse());
    expect(out).toHaveLength(1);
    expect(out[0].udp?.checksumOk).toBe(true);
    expect(text(out[0].payload)).toBe(msg);
  });

  it('keeps the unfragmentable headers (hop-by-hop, destination options) and fixes the Next Header chain', () => {
    const upper = buildUdpDatagram({ src: '2001:db8::1', dst: '2001:db8::2', sport: 1, dport: 2, payload: msg });
    for (const exts of [[0], [0, 60]] as const) {
      const d = new Defragmenter({ decode: { checksums: 'all' } });
      const out = feed(d, fragmentsWith(exts, upper, 40, 9).reverse());
      expect(out, exts.join(',')).toHaveLength(1);
      const w = out[0];
      expect(w.ip?.version === 6 && w.ip.extHeaders).toEqual([...exts]);
      expect(w.ip?.proto).toBe(17);
      expect(w.udp?.checksumOk).toBe(true);
      expect(text(w.payload)).toBe(msg);
      // The rebuilt bytes: the IPv6 header, the extension headers (8 bytes each) chained to UDP, no fragment header.
      const b = w.raw.data;
      expect(b.length).toBe(40 + 8 * exts.length + upper.length);
      expect((b[4] << 8) | b[5]).toBe(8 * exts.length + upper.length);
      expect(b[6]).toBe(0);
      expect(b[40 + 8 * (exts.length - 1)]).toBe(17);
      if (exts.length === 2) expect(b[40]).toBe(60);
    }
  });

  it('drops a datagram whose unfragmentable headers push it past the IPv6 payload length', () => {
    const d = new Defragmenter();
    const spec = { src: '2001:db8::1', dst: '2001:db8::2', proto: 17 };
    const last = buildIpv6({ ...spec, ext: [{ type: 0 }, { type: 44, fragOffset: 65528, more: false, id: 3 }] }, new Uint8Array(4));
    const first = buildIpv6({ ...spec, ext: [{ type: 0 }, { type: 44, fragOffset: 0, more: true, id: 3 }] }, new Uint8Array(8));
    const parts: Uint8Array[] = [first, last];
    for (let off = 8; off < 65528; off += 1400) {
      parts.push(buildIpv6({ ...spec, ext: [{ type: 0 }, { type: 44, fragOffset: off, more: true, id: 3 }] }, new Uint8Array(Math.min(1400, 65528 - off))));
    }
    const events: string[] = [];
    let out = 0;
    for (const f of parts) {
      const p = pkt(f);
      if (d.process(p) !== undefined) out++;
      events.push(...p.events.map((e) => `${e.gid}:${e.sid}`));
    }
    expect(out).toBe(0);
    expect(events).toContain('123:7');
    expect(d.pending).toBe(0);
  });
});

describe('fuzz', () => {
  it('rebuilds the exact datagram from shuffled and duplicated fragments, and survives garbage', () => {
    let seed = 11;
    const rnd = (k: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % k;
    };
    for (let round = 0; round < 200; round++) {
      const body = Array.from({ length: 40 + rnd(600) }, () => String.fromCharCode(65 + rnd(26))).join('');
      const dgram = buildUdpDatagram({ src: '10.0.0.1', dst: '10.0.0.2', sport: 9, dport: 10, payload: body });
      const ip = buildIpv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, id: round }, dgram);
      // A chunk below the datagram size, so that there are at least two fragments.
      const frags = fragmentIpv4(ip, 8 * (1 + rnd(Math.min(20, Math.floor(dgram.length / 8) - 1))));
      const order = [...frags, ...frags.filter(() => rnd(3) === 0)];
      for (let i = order.length - 1; i > 0; i--) {
        const j = rnd(i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
      const d = new Defragmenter({ decode: { checksums: 'all' } });
      const out = feed(d, order);
      // Duplicates that arrive after completion may form the datagram again (a retransmitted datagram).
      expect(out.length, `round ${round}`).toBeGreaterThanOrEqual(1);
      for (const w of out) {
        expect(text(w.payload), `round ${round}`).toBe(body);
        expect(w.udp?.checksumOk, `round ${round}`).toBe(true);
      }
    }
    const d = new Defragmenter({ maxBytes: 1 << 16 });
    for (let i = 0; i < 3000; i++) {
      const part = new Uint8Array(rnd(100));
      const f = buildIpv4Fragment({ src: '10.0.0.1', dst: '10.0.0.2', proto: rnd(2) ? 17 : 6, id: rnd(5), offset: rnd(2000) * 8, more: rnd(4) !== 0 }, part);
      const p = pkt(f, 1000 + Math.floor(i / 100));
      if (p.isFragment) d.process(p);
    }
    expect(d.heldBytes).toBeLessThanOrEqual(1 << 16);
  });

  it('rebuilds IPv6 datagrams with random unfragmentable headers from shuffled fragments, and survives garbage ones', () => {
    let seed = 23;
    const rnd = (k: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % k;
    };
    const kinds = [0, 43, 60] as const;
    for (let round = 0; round < 100; round++) {
      const body = Array.from({ length: 40 + rnd(600) }, () => String.fromCharCode(65 + rnd(26))).join('');
      const upper = buildUdpDatagram({ src: '2001:db8::1', dst: '2001:db8::2', sport: 9, dport: 10, payload: body });
      // Hop-by-hop comes first when present (RFC 8200 4.1); the others in any order.
      const exts: (0 | 43 | 60)[] = [];
      for (let k = rnd(4); k > 0; k--) exts.push(kinds[1 + rnd(2)]);
      if (rnd(2) === 0) exts.unshift(0);
      const frags = fragmentsWith(exts, upper, 8 * (1 + rnd(Math.min(20, Math.floor(upper.length / 8) - 1))), round);
      for (let i = frags.length - 1; i > 0; i--) {
        const j = rnd(i + 1);
        [frags[i], frags[j]] = [frags[j], frags[i]];
      }
      const d = new Defragmenter({ decode: { checksums: 'all' } });
      const out = feed(d, frags);
      expect(out, `round ${round}`).toHaveLength(1);
      expect(out[0].ip?.version === 6 && out[0].ip.extHeaders, `round ${round}`).toEqual(exts);
      expect(text(out[0].payload), `round ${round}`).toBe(body);
      expect(out[0].udp?.checksumOk, `round ${round}`).toBe(true);
    }
    const d = new Defragmenter({ maxBytes: 1 << 16 });
    for (let i = 0; i < 2000; i++) {
      const ext = [...Array.from({ length: rnd(3) }, () => ({ type: kinds[rnd(3)] })), { type: 44 as const, fragOffset: rnd(8200) * 8, more: rnd(4) !== 0, id: rnd(4) }];
      const f = buildIpv6({ src: '2001:db8::1', dst: '2001:db8::2', proto: rnd(2) ? 17 : 6, ext }, new Uint8Array(rnd(100)));
      const p = pkt(f, 1000 + Math.floor(i / 100));
      if (p.isFragment) d.process(p);
    }
    expect(d.heldBytes).toBeLessThanOrEqual(1 << 16);
  });
});
