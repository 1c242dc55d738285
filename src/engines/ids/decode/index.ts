export { createDecodeStats, decodePacket, hasBadChecksum } from './decode.js';
export type { ChecksumMode, DecodeOptions, DecodeStats } from './decode.js';
export { Defragmenter } from './defrag.js';
export type { DefragOptions, DefragStats, OverlapPolicy } from './defrag.js';
export { DECODE, DEFRAG } from './events.js';
export { PacketDecoder } from './packet-decoder.js';
export type { PacketDecoderOptions } from './packet-decoder.js';
