import { describe, expect, it } from 'vitest';
import { makePacket } from '../../../../test/ids/packet.js';
import { DnsTlsInspector, dnsQueryName, tlsServerName } from './dns-tls.js';

function dnsQuery(name: string, flags = 0x0100): Buffer {
  const labels = name.split('.').flatMap((l) => [l.length, ...Buffer.from(l)]);
  return Buffer.from([0x12, 0x34, flags >> 8, flags & 0xff, 0, 1, 0, 0, 0, 0, 0, 0, ...labels, 0, 0, 1, 0, 1]);
}

/** A ClientHello record with the given SNI (or none). */
function clientHello(sni: string | undefined): Buffer {
  const ext: number[] = [];
  if (sni !== undefined) {
    const name = [...Buffer.from(sni)];
    const entry = [0, name.length >> 8, name.length & 0xff, ...name];
    const list = [entry.length >> 8, entry.length & 0xff, ...entry];
    ext.push(0, 0, list.length >> 8, list.length & 0xff, ...list);
  }
  ext.unshift(0x00, 0x17, 0, 0); // extended_master_secret, empty, before SNI
  const body = [0x03, 0x03, ...new Array(32).fill(7), 0, 0, 2, 0x13, 0x01, 1, 0, ext.length >> 8, ext.length & 0xff, ...ext];
  const hs = [0x01, 0, body.length >> 8, body.length & 0xff, ...body];
  return Buffer.from([0x16, 0x03, 0x01, hs.length >> 8, hs.length & 0xff, ...hs]);
}

const str = (b: Uint8Array | undefined) => (b === undefined ? undefined : Buffer.from(b).toString('latin1'));

describe('dnsQueryName', () => {
  it('decodes the first question of a query and refuses responses and malformed names', () => {
    expect(str(dnsQueryName(dnsQuery('www.example.com')))).toBe('www.example.com');
    expect(dnsQueryName(dnsQuery('www.example.com', 0x8180))).toBeUndefined();
    const cut = dnsQuery('www.example.com');
    expect(dnsQueryName(cut.subarray(0, cut.length - 3))).toBeUndefined();
    const pointer = Buffer.from(dnsQuery('a.b'));
    pointer[12] = 0xc0;
    expect(dnsQueryName(pointer)).toBeUndefined();
  });
});

describe('tlsServerName', () => {
  it('finds the SNI of a ClientHello, an empty name without the extension, nothing for other records', () => {
    expect(str(tlsServerName(clientHello('evil.example.net')))).toBe('evil.example.net');
    expect(tlsServerName(clientHello(undefined))?.length).toBe(0);
    const serverHello = clientHello('x');
    serverHello[5] = 0x02;
    expect(tlsServerName(serverHello)).toBeUndefined();
  });
});

describe('DnsTlsInspector', () => {
  it('sets dns_query over UDP and TCP and tls_sni on any port', () => {
    const ins = new DnsTlsInspector();
    const got = new Map<string, string>();
    const sink = { set: (n: string, d: Uint8Array) => got.set(n, Buffer.from(d).toString('latin1')) };
    ins.onPacket(makePacket({ proto: 'udp', dstPort: 53, payload: dnsQuery('a.example.org') }), sink);
    expect(got.get('dns_query')).toBe('a.example.org');
    const q = dnsQuery('tcp.example.org');
    ins.onPacket(makePacket({ proto: 'tcp', dstPort: 53, payload: Buffer.concat([Buffer.from([q.length >> 8, q.length & 0xff]), q]) }), sink);
    expect(got.get('dns_query')).toBe('tcp.example.org');
    ins.onPacket(makePacket({ proto: 'tcp', dstPort: 8443, payload: clientHello('sni.example.com') }), sink);
    expect(got.get('tls_sni')).toBe('sni.example.com');
    // DNS-looking bytes on another UDP port are not parsed
    got.clear();
    ins.onPacket(makePacket({ proto: 'udp', dstPort: 9999, payload: dnsQuery('x.y') }), sink);
    expect(got.size).toBe(0);
    expect(ins.counters).toEqual({ dnsQueries: 2, tlsClientHellos: 1, tlsFlows: 0 });
  });

  it('never throws on mutated messages', () => {
    let x = 9;
    const seeds = [dnsQuery('www.example.com'), clientHello('host.example')];
    for (let i = 0; i < 3000; i++) {
      const b = Buffer.from(seeds[i % 2]!);
      for (let k = 0; k < 4; k++) {
        x = (x * 1103515245 + 12345) >>> 0;
        b[x % b.length] = x >>> 24;
      }
      const cut = b.subarray(0, 1 + (x % b.length));
      expect(() => dnsQueryName(cut)).not.toThrow();
      expect(() => tlsServerName(cut)).not.toThrow();
    }
  });
});
