export { STREAM, TcpReassembler } from './tcp-reassembler.js';
export type { ReassembledPdu, StreamOverlapPolicy, StreamStats, TcpReassemblerOptions } from './tcp-reassembler.js';
