import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildIcmp, buildTcp, buildUdp, fragmentIpv4, buildIpv4, buildUdpDatagram, buildEthernet, internetChecksum, ipv6Bytes, writePcap, writePcapng } from './pcap-writer.js';

function hasTcpdump(): boolean {
  try {
    execFileSync('tcpdump', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'vigil-pcapw-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const frames = [
  buildTcp({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1234, dport: 80, flags: 'S', seq: 7, options: [2, 4, 5, 0xb4] }),
  buildTcp({ src: '2001:db8::1', dst: '2001:db8::2', sport: 1234, dport: 80, flags: 'PA', payload: 'hello', vlan: [10] }),
  buildUdp({ src: '10.0.0.1', dst: '10.0.0.2', sport: 5353, dport: 53, payload: 'odd' }),
  buildIcmp({ src: '10.0.0.1', dst: '10.0.0.2', type: 8, id: 1, seq: 2, payload: 'ping' }),
  buildIcmp({ src: 'fe80::1', dst: 'fe80::2', type: 128, id: 1, seq: 2, payload: 'ping6' }),
];

describe('packet builders', () => {
  it('computes the RFC 1071 checksum of an odd-length buffer', () => {
    expect(internetChecksum(Uint8Array.from([0x45, 0x00, 0x00]))).toBe(~0x4500 & 0xffff);
  });

  it('parses compressed IPv6 addresses', () => {
    expect(Buffer.from(ipv6Bytes('2001:db8::1')).toString('hex')).toBe('20010db8000000000000000000000001');
    expect(Buffer.from(ipv6Bytes('::')).toString('hex')).toBe('0'.repeat(32));
  });

  it('splits a datagram into fragments whose offsets cover it exactly', () => {
    const ip = buildIpv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17 }, buildUdpDatagram({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, payload: 'x'.repeat(100) }));
    const frags = fragmentIpv4(ip, 48);
    expect(frags.map((f) => ((f[6] & 0x1f) << 8) | f[7])).toEqual([0, 6, 12]);
    expect(frags.map((f) => f[6] >> 5)).toEqual([1, 1, 0]);
  });
});

describe.skipIf(!hasTcpdump())('files read by tcpdump', () => {
  for (const [name, write] of [
    ['pcap', (p: string) => writePcap(p, frames)],
    ['big-endian nanosecond pcap', (p: string) => writePcap(p, frames, { bigEndian: true, nanos: true })],
    ['pcapng', (p: string) => writePcapng(p, frames)],
  ] as const) {
    it(`writes a ${name} that tcpdump reads with correct checksums`, () => {
      const path = join(dir, `${name.replace(/ /g, '-')}.cap`);
      write(path);
      const out = execFileSync('tcpdump', ['-nvvr', path], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
      expect(out).not.toMatch(/incorrect|bad cksum|truncated/i);
      expect(out).toContain('10.0.0.1.1234 > 10.0.0.2.80: Flags [S]');
      expect(out).toContain('2001:db8::1.1234 > 2001:db8::2.80: Flags [P.]');
      expect(out).toContain('ICMP echo request, id 1, seq 2');
      expect(out).toContain('ICMP6, echo request');
      expect(out.match(/\(correct\)|sum ok/g)?.length).toBe(4); // TCP x2, UDP, ICMPv6 (tcpdump prints nothing for a good ICMP sum)
    });
  }

  it('writes Ethernet frames that tcpdump decodes as UDP when wrapped by hand', () => {
    const path = join(dir, 'eth.pcap');
    writePcap(path, [buildEthernet(buildIpv4({ src: '1.2.3.4', dst: '5.6.7.8', proto: 17 }, buildUdpDatagram({ src: '1.2.3.4', dst: '5.6.7.8', sport: 9, dport: 10 })))]);
    expect(execFileSync('tcpdump', ['-nr', path], { stdio: ['ignore', 'pipe', 'pipe'] }).toString()).toContain('1.2.3.4.9 > 5.6.7.8.10: UDP');
  });
});
