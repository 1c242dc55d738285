import { closeSync, openSync, writeSync } from 'node:fs';
import { AppError } from '../../../core/errors.js';
import type { RawPacket } from '../types.js';

/**
 * Writes packets to a capture file, like Snort's DAQ dump module: in inline (IPS) mode on pcap input
 * the packets that pass are written out, so IPS behaviour can be checked offline with any pcap tool.
 * Records are buffered and written in 1 MiB blocks.
 *
 * `pcap` (default) holds one link type, taken from the first packet; a packet with another link type
 * is refused with IDS_DUMP_LINKTYPE (use `pcapng`, which gets one interface per link type).
 */

export type DumpFormat = 'pcap' | 'pcapng';

export interface PcapDumpOptions {
  readonly format?: DumpFormat;
  /** Snap length written in the header (default 262144). */
  readonly snapLen?: number;
}

const BLOCK = 1 << 20;

/**
 * @example
 * const dump = new PcapDumpWriter('pass.pcap');
 * for (const raw of packets) if (passes(raw)) dump.write(raw);
 * dump.close();
 */
export class PcapDumpWriter {
  readonly path: string;
  private readonly format: DumpFormat;
  private readonly snapLen: number;
  private fd: number;
  private buf = Buffer.allocUnsafe(BLOCK);
  private used = 0;
  private linkType: number | undefined;
  /** pcapng: interface id per link type. */
  private readonly interfaces = new Map<number, number>();
  private written = 0;
  private closed = false;

  constructor(path: string, options: PcapDumpOptions = {}) {
    this.path = path;
    this.format = options.format ?? 'pcap';
    this.snapLen = options.snapLen ?? 262_144;
    try {
      this.fd = openSync(path, 'w');
    } catch (e) {
      throw new AppError('IDS_DUMP_WRITE', `${path}: cannot create the dump file (${(e as Error).message})`, { cause: e, details: { file: path } });
    }
    if (this.format === 'pcapng') {
      const shb = this.reserve(28);
      shb.writeUInt32LE(0x0a0d0d0a, 0);
      shb.writeUInt32LE(28, 4);
      shb.writeUInt32LE(0x1a2b3c4d, 8);
      shb.writeUInt16LE(1, 12);
      shb.writeUInt16LE(0, 14);
      shb.writeInt32LE(-1, 16);
      shb.writeInt32LE(-1, 20);
      shb.writeUInt32LE(28, 24);
    }
  }

  /** Packets written so far. */
  get count(): number {
    return this.written;
  }

  /** Appends one packet (its captured bytes, timestamps and original length). */
  write(raw: RawPacket): void {
    if (this.closed) throw new AppError('IDS_DUMP_WRITE', `${this.path}: write after close`, { details: { file: this.path } });
    if (this.format === 'pcap') this.writePcap(raw);
    else this.writePcapng(raw);
    this.written++;
  }

  /** Flushes and closes the file. */
  close(): void {
    if (this.closed) return;
    this.flush();
    closeSync(this.fd);
    this.closed = true;
  }

  private writePcap(raw: RawPacket): void {
    if (this.linkType === undefined) {
      this.linkType = raw.linkType;
      const h = this.reserve(24);
      h.writeUInt32LE(0xa1b2c3d4, 0);
      h.writeUInt16LE(2, 4);
      h.writeUInt16LE(4, 6);
      h.writeUInt32LE(0, 8);
      h.writeUInt32LE(0, 12);
      h.writeUInt32LE(this.snapLen, 16);
      h.writeUInt32LE(raw.linkType, 20);
    } else if (raw.linkType !== this.linkType) {
      throw new AppError(
        'IDS_DUMP_LINKTYPE',
        `${this.path}: packet ${raw.num} has link type ${raw.linkType} but the pcap dump holds link type ${this.linkType}; write pcapng to mix link types`,
        { details: { file: this.path, packet: raw.num } },
      );
    }
    const r = this.reserve(16 + raw.data.length);
    r.writeUInt32LE(raw.tsSec >>> 0, 0);
    r.writeUInt32LE(raw.tsUsec >>> 0, 4);
    r.writeUInt32LE(raw.data.length, 8);
    r.writeUInt32LE(raw.wireLen, 12);
    r.set(raw.data, 16);
  }

  private writePcapng(raw: RawPacket): void {
    let ifId = this.interfaces.get(raw.linkType);
    if (ifId === undefined) {
      ifId = this.interfaces.size;
      this.interfaces.set(raw.linkType, ifId);
      const idb = this.reserve(20);
      idb.writeUInt32LE(1, 0);
      idb.writeUInt32LE(20, 4);
      idb.writeUInt16LE(raw.linkType, 8);
      idb.writeUInt16LE(0, 10);
      idb.writeUInt32LE(this.snapLen, 12);
      idb.writeUInt32LE(20, 16);
    }
    const padded = (raw.data.length + 3) & ~3;
    const len = 32 + padded;
    const b = this.reserve(len);
    const ts = raw.tsSec * 1_000_000 + raw.tsUsec; // microseconds: the default if_tsresol
    b.writeUInt32LE(6, 0);
    b.writeUInt32LE(len, 4);
    b.writeUInt32LE(ifId, 8);
    b.writeUInt32LE(Math.floor(ts / 4294967296), 12);
    b.writeUInt32LE(ts % 4294967296, 16);
    b.writeUInt32LE(raw.data.length, 20);
    b.writeUInt32LE(raw.wireLen, 24);
    b.set(raw.data, 28);
    b.fill(0, 28 + raw.data.length, 28 + padded);
    b.writeUInt32LE(len, len - 4);
  }

  /** Returns `n` bytes of buffer space, flushing or growing first when needed. */
  private reserve(n: number): Buffer {
    if (this.used + n > this.buf.length) {
      this.flush();
      if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
    }
    const view = this.buf.subarray(this.used, this.used + n);
    this.used += n;
    return view;
  }

  private flush(): void {
    let off = 0;
    try {
      while (off < this.used) off += writeSync(this.fd, this.buf, off, this.used - off);
    } catch (e) {
      throw new AppError('IDS_DUMP_WRITE', `${this.path}: write failed (${(e as Error).message})`, { cause: e, details: { file: this.path } });
    }
    this.used = 0;
  }
}
