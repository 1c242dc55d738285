import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { AppError } from '../../../core/errors.js';
import type { OperationOptions } from '../../../core/abort.js';
import { RawPacketRecord, type RawPacket } from '../types.js';

/**
 * Streaming pcap / pcapng reader.
 *
 * Why a hand-written parser: the capture formats are the product's input path and the hottest loop of
 * the engine. The reader fills one read buffer (1 MiB), reused for the whole file, and copies each packet
 * into a 64 KiB slab, handing out a `subarray` view of the copy: a packet costs one RawPacket object, one
 * view and a copy of its bytes. Copying is what lets the read buffer be reused: before, every 1 MiB chunk
 * was a fresh allocation that any view still held (a flow's last unit, an inspector's current message)
 * kept alive, and the stream of 1 MiB allocations freed at random times left glibc's heap fragmented —
 * about 60 MB of the community run's peak RSS on bench/big.pcap was freed memory glibc had not returned
 * (measured with /proc/self/smaps). A stray view now keeps at most one 64 KiB slab alive. Packet views stay
 * valid for as long as they are held; stages that keep bytes for a long time (reassembly) still copy what
 * they keep, so slabs can be collected.
 *
 * The same parser runs over a file (pull: it reads more when it needs it) and over a byte stream such as
 * `tcpdump -w -` (push: `append()` then `drain()`).
 */

/** Numbering shared by every input of one run: Snort's pkt_num is global and 1-based. */
export interface PacketNumbering {
  /** The number of the last packet handed out (0 before the first). */
  value: number;
}

/** Creates a fresh numbering starting at packet 1. */
export function createNumbering(): PacketNumbering {
  return { value: 0 };
}

/** Options of the file readers. */
export interface CaptureReadOptions extends OperationOptions {
  /** Shared numbering when several files make one run (default: a fresh one). */
  readonly numbering?: PacketNumbering;
  /** Read size in bytes (default 1 MiB). */
  readonly chunkSize?: number;
}

const DEFAULT_CHUNK = 1 << 20;
/** Packet copies are cut from slabs of this size; larger packets get an allocation of their own. */
const SLAB = 64 << 10;
const OWN_COPY = SLAB >> 2;
/** No sane capture has a packet or block this large; a bigger length means a corrupt file. */
const MAX_RECORD = 64 << 20;
/** libpcap's own bound for a record's caplen when the header's snaplen is smaller. */
const LIBPCAP_MAX_SNAPLEN = 262_144;

const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_BOM = 0x1a2b3c4d;

type Format = 'unknown' | 'pcap' | 'pcapng';

interface PcapngInterface {
  readonly linkType: number;
  readonly snapLen: number;
  /** Units per second of the timestamps (10^6 by default). */
  readonly unitsPerSec: number;
  /** if_tsoffset: seconds to add to every timestamp. */
  readonly offsetSec: number;
}

/**
 * An incremental capture parser (pcap or pcapng, detected from the magic number).
 *
 * @example
 * const reader = new CaptureReader('live:eth0', createNumbering());
 * reader.append(chunk);
 * for (const pkt of reader.drain()) handle(pkt);
 * reader.finish(); // throws IDS_CAPTURE_TRUNCATED when a partial record is left
 */
export class CaptureReader {
  /** Name used in error messages (the file path, or 'stdin', 'live:eth0'). */
  readonly name: string;
  private readonly numbering: PacketNumbering;
  private buf: Uint8Array = new Uint8Array(0);
  /** True when `buf` came from prepareRead: no view of it was ever handed out, so it may be reused. */
  private ownsBuf = false;
  /** Where packet copies are cut from (see the class comment). */
  private slab: Uint8Array = new Uint8Array(0);
  private slabUsed = 0;
  private pos = 0;
  private end = 0;
  /** Capture-file offset of buf[0]. */
  private base = 0;
  private format: Format = 'unknown';
  // pcap state
  private little = true;
  private nanos = false;
  private recordHeaderLen = 16;
  private linkType = 0;
  private snapLen = 0;
  // pcapng state
  private interfaces: PcapngInterface[] = [];
  /** Pull callback: reads more bytes into the window; returns false at end of input. */
  private readonly pull: ((reader: CaptureReader) => boolean) | undefined;
  private ended = false;

  constructor(name: string, numbering: PacketNumbering, pull?: (reader: CaptureReader) => boolean) {
    this.name = name;
    this.numbering = numbering;
    this.pull = pull;
  }

  /** The link type of a pcap file (pcapng carries one per interface), once the header was read. */
  get fileLinkType(): number | undefined {
    return this.format === 'pcap' ? this.linkType : undefined;
  }

  /** Capture-file offset of the next unread byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  /**
   * Adds bytes to the window (push mode). The unread tail and the new bytes are copied into a fresh
   * buffer so that views handed out earlier are never overwritten.
   */
  append(chunk: Uint8Array, minSize = 0): void {
    const remain = this.end - this.pos;
    const size = Math.max(remain + chunk.length, minSize);
    const nb = new Uint8Array(size);
    nb.set(this.buf.subarray(this.pos, this.end), 0);
    nb.set(chunk, remain);
    this.base += this.pos;
    this.buf = nb;
    this.ownsBuf = false;
    this.pos = 0;
    this.end = remain + chunk.length;
  }

  /** Used by pull sources: makes room for `size` bytes and returns the buffer and where to write. */
  prepareRead(size: number): { buf: Uint8Array; at: number } {
    const remain = this.end - this.pos;
    const need = Math.max(size, remain * 2);
    this.base += this.pos;
    if (this.ownsBuf && this.buf.length >= need) {
      // Packets are copies, so nothing refers to this buffer: move the unread tail to the front.
      this.buf.copyWithin(0, this.pos, this.end);
    } else {
      const nb = new Uint8Array(need);
      nb.set(this.buf.subarray(this.pos, this.end), 0);
      this.buf = nb;
      this.ownsBuf = true;
    }
    this.pos = 0;
    this.end = remain;
    return { buf: this.buf, at: remain };
  }

  /** A copy of `len` window bytes at `start`, cut from the current slab (see the class comment). */
  private copyOut(start: number, len: number): Uint8Array {
    const src = this.buf;
    if (len > OWN_COPY) return src.slice(start, start + len);
    let used = this.slabUsed;
    if (used + len > this.slab.length) {
      this.slab = new Uint8Array(SLAB);
      used = 0;
    }
    const slab = this.slab;
    slab.set(src.subarray(start, start + len), used);
    this.slabUsed = used + len;
    return slab.subarray(used, used + len);
  }

  /** Used by pull sources after writing `n` bytes at the position `prepareRead` returned. */
  commitRead(n: number): void {
    this.end += n;
  }

  /** Bytes available in the window. */
  get buffered(): number {
    return this.end - this.pos;
  }

  /** Ensures n contiguous bytes at pos, pulling more when a pull source exists. */
  private have(n: number): boolean {
    while (this.end - this.pos < n) {
      if (this.pull === undefined || this.ended) return false;
      if (!this.pull(this)) {
        this.ended = true;
        return this.end - this.pos >= n;
      }
    }
    return true;
  }

  private u16(at: number): number {
    const b = this.buf;
    return this.little ? b[at] | (b[at + 1] << 8) : (b[at] << 8) | b[at + 1];
  }

  private u32(at: number): number {
    const b = this.buf;
    return this.little
      ? (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0
      : ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
  }

  private corrupt(what: string, at: number): AppError {
    return new AppError('IDS_CAPTURE_CORRUPT', `${this.name}: ${what} at byte offset ${at}`, {
      details: { file: this.name, offset: at },
    });
  }

  /**
   * Yields every complete packet in the window. In pull mode it reads until the end of the input; in
   * push mode it stops when the next record is incomplete (call `append` then `drain` again).
   */
  *drain(): Generator<RawPacket, void, undefined> {
    for (;;) {
      const raw = this.nextPacket();
      if (raw === undefined) return;
      yield raw;
    }
  }

  /**
   * The next complete packet, or undefined at the end of the input (pull mode) or of the window (push
   * mode). A plain method, not a generator: the file reader's loop calls it once per packet, and every
   * generator level between the parser and the pipeline cost a resumption per packet.
   */
  nextPacket(): RawPacket | undefined {
    if (this.format === 'unknown') {
      if (!this.have(4)) return undefined;
      this.readFileHeader();
      if (this.format === 'unknown') return undefined;
    }
    return this.format === 'pcap' ? this.nextPcap() : this.nextPcapng();
  }

  /** Call at end of input: throws IDS_CAPTURE_TRUNCATED when a partial record or header is left. */
  finish(): void {
    const left = this.end - this.pos;
    if (this.format === 'unknown') {
      if (left === 0 && this.base === 0) {
        throw new AppError('IDS_CAPTURE_FORMAT', `${this.name}: empty file, not a pcap or pcapng capture`, {
          details: { file: this.name, offset: 0 },
        });
      }
      if (left < 24) {
        throw new AppError('IDS_CAPTURE_TRUNCATED', `${this.name}: file ends inside the capture header (${left} bytes) at byte offset ${this.offset}`, {
          details: { file: this.name, offset: this.offset },
        });
      }
    }
    if (left > 0) {
      throw new AppError(
        'IDS_CAPTURE_TRUNCATED',
        `${this.name}: file ends inside a ${this.format === 'pcapng' ? 'block' : 'packet record'} (${left} bytes left) at byte offset ${this.offset}`,
        { details: { file: this.name, offset: this.offset } },
      );
    }
  }

  private readFileHeader(): void {
    const b = this.buf;
    const p = this.pos;
    const be = ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
    const le = (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
    if (be === PCAPNG_SHB) {
      this.format = 'pcapng';
      return; // the SHB is parsed as a block
    }
    let magic: number;
    if (be === 0xa1b2c3d4 || be === 0xa1b23c4d || be === 0xa1b2cd34) {
      this.little = false;
      magic = be;
    } else if (le === 0xa1b2c3d4 || le === 0xa1b23c4d || le === 0xa1b2cd34) {
      this.little = true;
      magic = le;
    } else {
      throw new AppError(
        'IDS_CAPTURE_FORMAT',
        `${this.name}: not a pcap or pcapng capture (magic 0x${be.toString(16).padStart(8, '0')} at byte offset ${this.offset})`,
        { details: { file: this.name, offset: this.offset } },
      );
    }
    if (!this.have(24)) return; // finish() reports the truncation
    this.nanos = magic === 0xa1b23c4d;
    // 0xa1b2cd34: Alexey Kuznetzov's patched libpcap, 8 extra bytes per record header.
    this.recordHeaderLen = magic === 0xa1b2cd34 ? 24 : 16;
    this.snapLen = this.u32(this.pos + 16);
    // The upper bits of the link type field carry FCS information (pcap spec, LinkType field).
    this.linkType = this.u32(this.pos + 20) & 0x0fffffff & 0xffff;
    this.pos += 24;
    this.format = 'pcap';
  }

  private nextPcap(): RawPacket | undefined {
    const hl = this.recordHeaderLen;
    if (!this.have(hl)) return undefined;
    let p = this.pos;
    const tsSec = this.u32(p);
    const frac = this.u32(p + 4);
    const caplen = this.u32(p + 8);
    const wireLen = this.u32(p + 12);
    if (caplen > Math.max(this.snapLen, LIBPCAP_MAX_SNAPLEN) || caplen > MAX_RECORD) {
      throw this.corrupt(`packet record with captured length ${caplen} (larger than the snaplen ${this.snapLen})`, this.offset);
    }
    if (!this.have(hl + caplen)) return undefined;
    p = this.pos; // have() may have moved the window
    const start = p + hl;
    const data = this.copyOut(start, caplen);
    this.pos = start + caplen;
    const numbering = this.numbering;
    numbering.value++;
    return new RawPacketRecord(numbering.value, tsSec, this.nanos ? Math.floor(frac / 1000) : frac, this.linkType, data, wireLen < caplen ? caplen : wireLen);
  }

  private nextPcapng(): RawPacket | undefined {
    for (;;) {
      if (!this.have(12)) return undefined;
      let p = this.pos;
      const type = ((this.buf[p] << 24) | (this.buf[p + 1] << 16) | (this.buf[p + 2] << 8) | this.buf[p + 3]) >>> 0;
      if (type === PCAPNG_SHB) {
        // The byte order of a section is only known from its SHB's byte-order magic.
        const b = this.buf;
        const bom = (b[p + 8] | (b[p + 9] << 8) | (b[p + 10] << 16) | (b[p + 11] << 24)) >>> 0;
        if (bom === PCAPNG_BOM) this.little = true;
        else if (bom === 0x4d3c2b1a) this.little = false;
        else throw this.corrupt(`pcapng section header with an unknown byte-order magic 0x${bom.toString(16)}`, this.offset + 8);
        this.interfaces = [];
      }
      const len = this.u32(p + 4);
      if (len < 12 || len % 4 !== 0 || len > MAX_RECORD) {
        throw this.corrupt(`pcapng block of type 0x${this.u32(p).toString(16)} with invalid length ${len}`, this.offset);
      }
      if (!this.have(len)) return undefined;
      p = this.pos;
      if (this.u32(p + len - 4) !== len) {
        throw this.corrupt(`pcapng block whose trailing length differs from its leading length ${len}`, this.offset);
      }
      const blockType = this.u32(p);
      const blockOffset = this.offset;
      this.pos = p + len;
      switch (blockType) {
        case 1:
          this.readInterface(p, len, blockOffset);
          break;
        case 6:
        case 2: {
          const pkt = this.readEnhancedPacket(p, len, blockType, blockOffset);
          if (pkt !== undefined) return pkt;
          break;
        }
        case 3: {
          const pkt = this.readSimplePacket(p, len, blockOffset);
          if (pkt !== undefined) return pkt;
          break;
        }
        default:
          break; // SHB (already handled), name resolution, statistics, custom blocks: nothing to inspect
      }
    }
  }

  private readInterface(p: number, len: number, at: number): void {
    if (len < 20) throw this.corrupt('pcapng interface description block shorter than 20 bytes', at);
    const linkType = this.u16(p + 8);
    const snapLen = this.u32(p + 12);
    let unitsPerSec = 1_000_000;
    let offsetSec = 0;
    let o = p + 16;
    const stop = p + len - 4;
    while (o + 4 <= stop) {
      const code = this.u16(o);
      const olen = this.u16(o + 2);
      if (code === 0) break;
      if (o + 4 + olen > stop) throw this.corrupt('pcapng interface option runs past its block', this.offset);
      if (code === 9 && olen >= 1) {
        const v = this.buf[o + 4];
        unitsPerSec = v & 0x80 ? 2 ** (v & 0x7f) : 10 ** v;
        if (!Number.isFinite(unitsPerSec) || unitsPerSec < 1) throw this.corrupt(`pcapng if_tsresol ${v} is not usable`, at);
      } else if (code === 14 && olen >= 8) {
        // A signed 64-bit count of seconds in the section's byte order.
        const first = this.u32(o + 4);
        const second = this.u32(o + 8);
        const hi = this.little ? second | 0 : first | 0;
        const lo = this.little ? first : second;
        offsetSec = hi * 4294967296 + lo;
      }
      o += 4 + ((olen + 3) & ~3);
    }
    this.interfaces.push({ linkType, snapLen, unitsPerSec, offsetSec });
  }

  private timestamp(iface: PcapngInterface, hi: number, lo: number): [number, number] {
    const u = iface.unitsPerSec;
    if (u <= 1_000_000 && hi < 0x200000) {
      // Exact in doubles: below 2^53.
      const ts = hi * 4294967296 + lo;
      const sec = Math.floor(ts / u);
      const frac = ts - sec * u;
      return [sec + iface.offsetSec, Math.floor((frac * 1_000_000) / u)];
    }
    const ts = (BigInt(hi) << 32n) | BigInt(lo);
    const bu = BigInt(u);
    const sec = ts / bu;
    const frac = ts - sec * bu;
    return [Number(sec) + iface.offsetSec, Number((frac * 1_000_000n) / bu)];
  }

  private readEnhancedPacket(p: number, len: number, type: number, at: number): RawPacket | undefined {
    if (len < 32) throw this.corrupt('pcapng packet block shorter than 32 bytes', at);
    const ifId = type === 6 ? this.u32(p + 8) : this.u16(p + 8);
    const iface = this.interfaces[ifId];
    if (iface === undefined) throw this.corrupt(`pcapng packet block for interface ${ifId}, which no interface block described`, at);
    const [tsSec, tsUsec] = this.timestamp(iface, this.u32(p + 12), this.u32(p + 16));
    const caplen = this.u32(p + 20);
    const wireLen = this.u32(p + 24);
    if (28 + caplen > len - 4) throw this.corrupt(`pcapng packet block with captured length ${caplen} larger than the block`, at);
    this.numbering.value++;
    return new RawPacketRecord(this.numbering.value, tsSec, tsUsec, iface.linkType, this.copyOut(p + 28, caplen), wireLen < caplen ? caplen : wireLen);
  }

  private readSimplePacket(p: number, len: number, at: number): RawPacket | undefined {
    if (len < 16) throw this.corrupt('pcapng simple packet block shorter than 16 bytes', at);
    const iface = this.interfaces[0];
    if (iface === undefined) throw this.corrupt('pcapng simple packet block before any interface block', at);
    const wireLen = this.u32(p + 8);
    let caplen = Math.min(wireLen, len - 16);
    if (iface.snapLen > 0) caplen = Math.min(caplen, iface.snapLen);
    this.numbering.value++;
    // A simple packet block has no timestamp.
    return new RawPacketRecord(this.numbering.value, 0, 0, iface.linkType, this.copyOut(p + 12, caplen), wireLen < caplen ? caplen : wireLen);
  }
}

/**
 * Reads a pcap or pcapng file as a synchronous stream of packets (the fastest form: no promise per
 * packet). Every good packet before a truncated or corrupt record is yielded, then an AppError naming
 * the file and the byte offset is thrown.
 *
 * @example
 * const numbering = createNumbering();
 * for (const raw of readCaptureFile('big.pcap', { numbering })) count++;
 */
export function* readCaptureFile(path: string, options: CaptureReadOptions = {}): Generator<RawPacket, void, undefined> {
  const { signal, onProgress } = options;
  signal?.throwIfAborted();
  let fd: number;
  let total: number | undefined;
  const stdin = path === '-';
  if (stdin) {
    // `-r -` reads a capture piped on standard input (tcpdump -w - | vigil ids -r -), like libpcap.
    fd = 0;
  } else {
    try {
      fd = openSync(path, 'r');
      const st = fstatSync(fd);
      if (!st.isFile()) {
        closeSync(fd);
        throw new Error('not a regular file');
      }
      total = st.size;
    } catch (e) {
      throw new AppError('IDS_CAPTURE_OPEN', `${path}: cannot read the capture file (${(e as Error).message})`, {
        cause: e,
        details: { file: path },
      });
    }
  }
  const chunk = options.chunkSize ?? DEFAULT_CHUNK;
  let done = 0;
  const pull = (r: CaptureReader): boolean => {
    signal?.throwIfAborted();
    const { buf, at } = r.prepareRead(chunk);
    let n: number;
    try {
      n = readStdinSafe(fd, buf, at, buf.length - at);
    } catch (e) {
      throw new AppError('IDS_CAPTURE_OPEN', `${path}: read failed at byte offset ${done} (${(e as Error).message})`, {
        cause: e,
        details: { file: path, offset: done },
      });
    }
    if (n === 0) return false;
    r.commitRead(n);
    done += n;
    onProgress?.({ phase: 'read', done, total, unit: 'bytes', detail: path });
    return true;
  };
  const reader = new CaptureReader(stdin ? 'stdin' : path, options.numbering ?? createNumbering(), pull);
  try {
    // One generator level: the parser's `nextPacket` is a plain call.
    for (let raw = reader.nextPacket(); raw !== undefined; raw = reader.nextPacket()) yield raw;
    reader.finish();
  } finally {
    if (!stdin) closeSync(fd);
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** readSync that waits (5 ms at a time) instead of failing when a non-blocking pipe has no data yet. */
function readStdinSafe(fd: number, buf: Uint8Array, at: number, len: number): number {
  for (;;) {
    try {
      return readSync(fd, buf, at, len, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(pause, 0, 0, 5);
    }
  }
}

/**
 * Reads several capture files as one run: packet numbers continue from file to file, like Snort with
 * several `-r` options.
 *
 * @example
 * for (const raw of readCaptureFiles(['a.pcap', 'b.pcapng'])) decodePacket(raw);
 */
export function* readCaptureFiles(paths: readonly string[], options: CaptureReadOptions = {}): Generator<RawPacket, void, undefined> {
  const numbering = options.numbering ?? createNumbering();
  for (const path of paths) yield* readCaptureFile(path, { ...options, numbering });
}

/**
 * Parses a whole capture held in memory (tests, small inputs).
 *
 * @example
 * const packets = [...readCaptureBuffer(bytes, 'fixture.pcap')];
 */
export function* readCaptureBuffer(bytes: Uint8Array, name: string, numbering: PacketNumbering = createNumbering()): Generator<RawPacket, void, undefined> {
  const reader = new CaptureReader(name, numbering);
  reader.append(bytes);
  yield* reader.drain();
  reader.finish();
}
