/**
 * Mutated captures through the whole pipeline (reader, decoder, defrag, flow, inspectors, detection,
 * logging): nothing may throw except a reported damaged-capture AppError, and every run must end.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runIds } from '../../src/engines/ids/index.js';
import { buildIcmp, buildTcp, buildUdp, encodePcap, fragmentIpv4, buildEthernet, buildIpv4, buildUdpDatagram } from '../support/pcap-writer.js';

const RULES = [
  'alert tcp any any -> any any (msg:"c"; content:"GET"; http_uri; content:"admin"; nocase; sid:1;)',
  'alert tcp any any -> any any (msg:"p"; pcre:"/a(b|c)+d/i"; byte_test:1,>,3,0; sid:2;)',
  'alert udp any any -> any any (msg:"dns"; dns_query; content:"example"; sid:3;)',
  'alert tcp any any -> any any (msg:"tls"; tls.sni; content:"evil"; sid:4;)',
  'alert ip any any -> any any (msg:"ttl"; ttl:<5; sid:5;)',
  'alert tcp any any -> any any (msg:"flow"; flow:to_server,established; content:"|00 01|"; byte_jump:1,0,relative; isdataat:2,relative; sid:6;)',
  'alert icmp any any -> any any (msg:"icmp"; itype:8; dsize:>4; sid:7;)',
  'alert tcp any any -> any any (msg:"file"; file_data; content:"MZ"; sid:8;)',
].join('\n');

function seedFrames(): Uint8Array[] {
  const frames: Uint8Array[] = [
    buildTcp({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1000, dport: 80, flags: 'S' }),
    buildTcp({ src: '10.0.0.2', dst: '10.0.0.1', sport: 80, dport: 1000, flags: 'SA' }),
    buildTcp({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1000, dport: 80, flags: 'PA', payload: 'GET /Admin/abcd HTTP/1.1\r\nHost: x\r\n\r\n' }),
    buildTcp({ src: '10.0.0.2', dst: '10.0.0.1', sport: 80, dport: 1000, flags: 'PA', payload: 'HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nMZ\x00\x01' }),
    buildUdp({ src: '10.0.0.1', dst: '10.0.0.53', sport: 5000, dport: 53, payload: Buffer.from([0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 7, ...Buffer.from('example'), 3, 99, 111, 109, 0, 0, 1, 0, 1]) }),
    buildIcmp({ src: '10.0.0.1', dst: '10.0.0.2', type: 8, code: 0, id: 1, seq: 1, payload: 'pingpong' }),
    buildTcp({ src: 'fd00::1', dst: 'fd00::2', sport: 3000, dport: 443, flags: 'PA', payload: Buffer.from([0x16, 3, 1, 0, 60, 1, 0, 0, 56, 3, 3]) }),
  ];
  const big = buildIpv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, ttl: 3 }, buildUdpDatagram({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, payload: 'x'.repeat(100) }));
  for (const f of fragmentIpv4(big, 32)) frames.push(buildEthernet(f));
  return frames;
}

describe('pipeline fuzz', () => {
  it('survives mutated and truncated frames without throwing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-ids-fuzz-'));
    try {
      const seeds = seedFrames();
      let x = 12345;
      const rnd = () => {
        x = (x * 1103515245 + 12345) >>> 0;
        return x;
      };
      const frames: Uint8Array[] = [];
      for (let i = 0; i < 1500; i++) {
        const f = Buffer.from(seeds[i % seeds.length]!);
        const flips = rnd() % 4;
        for (let k = 0; k < flips; k++) f[14 + (rnd() % Math.max(1, f.length - 14))] = rnd() >>> 24;
        frames.push(rnd() % 7 === 0 ? f.subarray(0, rnd() % f.length) : f);
      }
      const pcap = join(dir, 'fuzz.pcap');
      writeFileSync(pcap, encodePcap(frames));
      // -k none sends every mutated packet to detection; -k all exercises the checksum path.
      for (const checksums of ['none', 'all'] as const) {
        const result = await runIds({ pcaps: [pcap], rules: [{ text: RULES, name: 'fuzz.rules' }], alertMode: 'json', alertOutput: () => {}, checksums });
        expect(result.load.errors).toEqual([]);
        expect(result.stats.packets).toBe(1500);
        expect(result.stats.alerts).toBeGreaterThan(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
