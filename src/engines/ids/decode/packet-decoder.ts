import type { Packet, RawPacket } from '../types.js';
import { createDecodeStats, decodePacket, hasBadChecksum, type ChecksumMode, type DecodeOptions, type DecodeStats } from './decode.js';
import { Defragmenter, type DefragOptions } from './defrag.js';

export interface PacketDecoderOptions {
  /** Snort's -k: 'none' (default) or 'all'. */
  readonly checksums?: ChecksumMode;
  /** Fragment reassembly settings, or false to pass fragments on unreassembled. */
  readonly defrag?: DefragOptions | false;
}

/**
 * The decode stage as the pipeline uses it: decoder + defragmenter + counters.
 *
 * @example
 * const decoder = new PacketDecoder({ checksums: 'none' });
 * for (const raw of readCaptureFile(path)) {
 *   const pkt = decoder.decode(raw);
 *   inspect(pkt);
 *   const whole = decoder.reassemble(pkt);
 *   if (whole) inspect(whole);
 * }
 */
export class PacketDecoder {
  readonly stats: DecodeStats = createDecodeStats();
  readonly defrag: Defragmenter | undefined;
  private readonly checksums: ChecksumMode;
  /** Passed to every decodePacket call (one object, not one per packet). */
  private readonly options: DecodeOptions;

  constructor(options: PacketDecoderOptions = {}) {
    this.checksums = options.checksums ?? 'none';
    this.options = { checksums: this.checksums, stats: this.stats };
    this.defrag = options.defrag === false ? undefined : new Defragmenter({ ...options.defrag, decode: { checksums: this.checksums } });
  }

  /** Decodes one frame (never throws on bad bytes: anomalies become `events`). */
  decode(raw: RawPacket): Packet {
    return decodePacket(raw, this.options);
  }

  /**
   * Feeds a fragment to the defragmenter; returns the rebuilt datagram when it is complete.
   * Non-fragments and fragments with a bad checksum return undefined.
   */
  reassemble(pkt: Packet): Packet | undefined {
    if (!pkt.isFragment || this.defrag === undefined || hasBadChecksum(pkt)) return undefined;
    return this.defrag.process(pkt);
  }
}
