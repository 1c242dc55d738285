import { mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../core/errors.js';
import { sharedMissing, sharedPath } from '../../../../test/support/shared.js';
import { buildTcp, buildUdp, encodePcap, encodePcapng, LINK } from '../../../../test/support/pcap-writer.js';
import { CaptureReader, createNumbering, readCaptureBuffer, readCaptureFile, readCaptureFiles } from './capture-reader.js';
import type { RawPacket } from '../types.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-acquire-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const frames = [
  buildTcp({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1000, dport: 80, flags: 'S', seq: 5 }),
  buildUdp({ src: '10.0.0.2', dst: '10.0.0.1', sport: 53, dport: 1000, payload: 'abc' }),
  buildTcp({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1000, dport: 80, flags: 'PA', payload: 'GET / HTTP/1.0\r\n\r\n' }),
];
const timed = frames.map((data, i) => ({ data, tsSec: 1_700_000_000 + i, tsNsec: 123_456_789 + i }));

function errorOf(f: () => unknown): { code: string; message: string; details: Record<string, unknown> } {
  try {
    f();
  } catch (e) {
    if (!isAppError(e)) throw e;
    return { code: e.code, message: e.message, details: (e.details ?? {}) as Record<string, unknown> };
  }
  throw new Error('expected an error');
}

describe('pcap', () => {
  for (const nanos of [false, true]) {
    for (const bigEndian of [false, true]) {
      it(`reads every packet with its timestamp when the file is ${bigEndian ? 'big' : 'little'}-endian ${nanos ? 'nanosecond' : 'microsecond'}`, () => {
        const got = [...readCaptureBuffer(encodePcap(timed, { nanos, bigEndian }), 'x.pcap')];
        expect(got.map((p) => p.num)).toEqual([1, 2, 3]);
        expect(got.map((p) => Buffer.from(p.data).toString('hex'))).toEqual(frames.map((f) => Buffer.from(f).toString('hex')));
        expect(got[1].tsSec).toBe(1_700_000_001);
        expect(got[1].tsUsec).toBe(123_456);
        expect(got[0].linkType).toBe(LINK.ETHERNET);
      });
    }
  }

  it('keeps the original length when the capture was truncated by the snaplen', () => {
    const [p] = [...readCaptureBuffer(encodePcap([{ data: frames[0].subarray(0, 30), wireLen: 60 }]), 'x')];
    expect(p.data.length).toBe(30);
    expect(p.wireLen).toBe(60);
  });

  it('yields the good packets then reports the file and offset when the last record is cut', () => {
    const bytes = encodePcap(frames);
    const cut = bytes.subarray(0, bytes.length - 5);
    const got: RawPacket[] = [];
    const err = errorOf(() => {
      for (const p of readCaptureBuffer(cut, 'cut.pcap')) got.push(p);
    });
    expect(got).toHaveLength(2);
    expect(err.code).toBe('IDS_CAPTURE_TRUNCATED');
    expect(err.message).toContain('cut.pcap');
    expect(err.details.offset).toBe(24 + 2 * 16 + frames[0].length + frames[1].length);
  });

  it('reports a corrupt record length with its offset', () => {
    const bytes = Buffer.from(encodePcap(frames));
    bytes.writeUInt32LE(0x7fffffff, 24 + 8);
    const err = errorOf(() => [...readCaptureBuffer(bytes, 'bad.pcap')]);
    expect(err.code).toBe('IDS_CAPTURE_CORRUPT');
    expect(err.details.offset).toBe(24);
  });

  it('rejects a file that is not a capture with IDS_CAPTURE_FORMAT', () => {
    expect(errorOf(() => [...readCaptureBuffer(Buffer.from('hello world, this is text'), 'a.txt')]).code).toBe('IDS_CAPTURE_FORMAT');
    expect(errorOf(() => [...readCaptureBuffer(new Uint8Array(0), 'empty')]).code).toBe('IDS_CAPTURE_FORMAT');
    expect(errorOf(() => [...readCaptureBuffer(encodePcap([]).subarray(0, 10), 'short')]).code).toBe('IDS_CAPTURE_TRUNCATED');
  });

  it('reads a file in small chunks with records spanning chunk boundaries', () => {
    const path = join(dir, 'chunks.pcap');
    writeFileSync(path, encodePcap(frames));
    const progress: number[] = [];
    const got = [...readCaptureFile(path, { chunkSize: 7, onProgress: (e) => progress.push(e.done) })];
    expect(got.map((p) => p.data.length)).toEqual(frames.map((f) => f.length));
    expect(Buffer.from(got[2].data).toString('latin1')).toContain('GET / HTTP/1.0');
    expect(progress.at(-1)).toBe(readFileSync(path).length);
  });

  it('keeps every packet intact after the reader reuses its read buffer for later reads', () => {
    // 300 packets with distinct payloads, read 512 bytes at a time: the read buffer is refilled many
    // times while all the packets handed out so far are still held.
    const many = Array.from({ length: 300 }, (_, i) =>
      buildUdp({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1000 + i, dport: 53, payload: `payload-${i}-`.repeat(1 + (i % 7)) }),
    );
    const big = buildUdp({ src: '10.0.0.1', dst: '10.0.0.2', sport: 9, dport: 9, payload: 'z'.repeat(20_000) });
    const path = join(dir, 'reuse.pcap');
    writeFileSync(path, encodePcap([...many, big, ...many]));
    const got = [...readCaptureFile(path, { chunkSize: 512 })];
    const want = [...many, big, ...many].map((f) => Buffer.from(f).toString('hex'));
    expect(got.map((p) => Buffer.from(p.data).toString('hex'))).toEqual(want);
  });

  it('numbers packets across several files like one run', () => {
    const a = join(dir, 'a.pcap');
    const b = join(dir, 'b.pcapng');
    writeFileSync(a, encodePcap(frames));
    writeFileSync(b, encodePcapng(frames));
    expect([...readCaptureFiles([a, b])].map((p) => p.num)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reads a capture piped on standard input when the path is -', () => {
    const path = join(dir, 'stdin.pcap');
    writeFileSync(path, encodePcap(frames));
    const script = `import { readCaptureFile } from ${JSON.stringify(join(import.meta.dirname, 'capture-reader.ts'))};
      let n = 0, bytes = 0; for (const p of readCaptureFile('-')) { n++; bytes += p.data.length; }
      process.stdout.write(JSON.stringify([n, bytes]));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { input: readFileSync(path) }).toString();
    expect(JSON.parse(out)).toEqual([3, frames.reduce((n, f) => n + f.length, 0)]);
  });

  it('reports a missing file with IDS_CAPTURE_OPEN', () => {
    expect(errorOf(() => [...readCaptureFile(join(dir, 'nope.pcap'))]).code).toBe('IDS_CAPTURE_OPEN');
    expect(errorOf(() => [...readCaptureFile(dir)]).code).toBe('IDS_CAPTURE_OPEN');
  });

  it('stops with an abort error when the signal is aborted', () => {
    const path = join(dir, 'abort.pcap');
    writeFileSync(path, encodePcap(frames));
    const ac = new AbortController();
    ac.abort();
    expect(() => [...readCaptureFile(path, { signal: ac.signal })]).toThrow(/abort/i);
  });

  it('parses a stream pushed in pieces (live capture) without losing a packet', () => {
    const bytes = encodePcap(frames);
    const reader = new CaptureReader('live', createNumbering());
    const got: RawPacket[] = [];
    for (let i = 0; i < bytes.length; i += 11) {
      reader.append(bytes.subarray(i, i + 11));
      for (const p of reader.drain()) got.push(p);
    }
    reader.finish();
    expect(got.map((p) => p.data.length)).toEqual(frames.map((f) => f.length));
  });
});

describe('pcapng', () => {
  for (const bigEndian of [false, true]) {
    it(`reads enhanced and simple packet blocks when the section is ${bigEndian ? 'big' : 'little'}-endian`, () => {
      const got = [...readCaptureBuffer(encodePcapng(timed, { bigEndian, simple: [2] }), 'x.pcapng')];
      expect(got).toHaveLength(3);
      expect(got[0].tsSec).toBe(1_700_000_000);
      expect(got[0].tsUsec).toBe(123_456);
      expect(got[2].tsSec).toBe(0);
      expect(Buffer.from(got[2].data).equals(Buffer.from(frames[2]))).toBe(true);
    });
  }

  it('uses each interface link type and timestamp resolution', () => {
    const raw = frames[1].subarray(14);
    const bytes = encodePcapng(
      [
        { data: frames[0], tsSec: 1_800_000_000, tsNsec: 987_654_321, linkType: LINK.ETHERNET },
        { data: raw, tsSec: 1_800_000_001, tsNsec: 5_000, linkType: LINK.RAW },
      ],
      { interfaces: [{ linkType: LINK.ETHERNET, tsresol: 9 }, { linkType: LINK.RAW, tsresol: 0x80 | 20 }] },
    );
    const got = [...readCaptureBuffer(bytes, 'multi.pcapng')];
    expect(got.map((p) => p.linkType)).toEqual([LINK.ETHERNET, LINK.RAW]);
    expect([got[0].tsSec, got[0].tsUsec]).toEqual([1_800_000_000, 987_654]);
    expect(got[1].tsSec).toBe(1_800_000_001);
    expect(got[1].tsUsec).toBeLessThanOrEqual(5);
  });

  it('reports a block for an undeclared interface as corrupt', () => {
    const bytes = Buffer.from(encodePcapng(frames));
    // first EPB starts after SHB (28) and IDB (20); its interface id is the first body word
    bytes.writeUInt32LE(9, 28 + 20 + 8);
    const err = errorOf(() => [...readCaptureBuffer(bytes, 'x.pcapng')]);
    expect(err.code).toBe('IDS_CAPTURE_CORRUPT');
    expect(err.details.offset).toBe(48);
  });

  it('reports a bad block length and a cut block', () => {
    const bytes = Buffer.from(encodePcapng(frames));
    const cut = bytes.subarray(0, bytes.length - 3);
    expect(errorOf(() => [...readCaptureBuffer(cut, 'x')]).code).toBe('IDS_CAPTURE_TRUNCATED');
    const bad = Buffer.from(bytes);
    bad.writeUInt32LE(13, 28 + 4);
    expect(errorOf(() => [...readCaptureBuffer(bad, 'x')]).code).toBe('IDS_CAPTURE_CORRUPT');
  });
});

describe('fuzz', () => {
  it('never throws anything but an AppError on mutated captures', () => {
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const bases = [encodePcap(frames), encodePcap(frames, { bigEndian: true, nanos: true }), encodePcapng(frames), encodePcapng(frames, { bigEndian: true })];
    for (let i = 0; i < 3000; i++) {
      const b = Uint8Array.from(bases[i % bases.length]);
      const n = 1 + rnd(6);
      for (let k = 0; k < n; k++) b[rnd(b.length)] = rnd(256);
      const input = rnd(4) === 0 ? b.subarray(0, rnd(b.length)) : b;
      try {
        let count = 0;
        for (const p of readCaptureBuffer(input, 'fuzz')) {
          expect(p.data.length).toBeLessThanOrEqual(input.length);
          count++;
        }
        expect(count).toBeLessThan(1000);
      } catch (e) {
        if (!isAppError(e)) throw e;
      }
    }
  });
});

const missing = sharedMissing('ids', 'pcaps');
describe.skipIf(missing)('real pcaps', () => {
  const pcapDir = sharedPath('ids', 'pcaps');
  const files = missing ? [] : readdirSync(pcapDir).filter((f) => f.endsWith('.pcap'));
  let tcpdump = true;
  try {
    execFileSync('tcpdump', ['--version'], { stdio: 'ignore' });
  } catch {
    tcpdump = false;
  }
  it.each(files)('reads every packet of %s', (f) => {
    const path = join(pcapDir, f);
    const n = [...readCaptureFile(path)].length;
    expect(n).toBeGreaterThan(0);
    if (tcpdump) {
      // tcpdump -c with a huge count prints one summary line per packet with -q -n and -tt; count via --count
      const out = execFileSync('tcpdump', ['-r', path, '--count'], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
      expect(n).toBe(Number(/(\d+) packets?/.exec(out)?.[1]));
    }
  });
});
