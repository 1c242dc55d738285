export { STREAM, TcpReassembler } from './tcp-reassembler.js';
export type { ReassembledPdu, StreamOverlapPolicy, StreamStats, TcpReassemblerOptions } from './tcp-reassembler.js';
export { FlowStreamStage, pduToPacket } from './stream-stage.js';
export type { FlowStreamStageOptions, UnitBuffers, UnitContext } from './stream-stage.js';
