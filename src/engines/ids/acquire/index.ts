export { CaptureReader, createNumbering, readCaptureBuffer, readCaptureFile, readCaptureFiles } from './capture-reader.js';
export type { CaptureReadOptions, PacketNumbering } from './capture-reader.js';
export { openCaptureSource, readLiveCapture } from './live-capture.js';
export type { CaptureSpec, LiveCaptureOptions } from './live-capture.js';
export { PcapDumpWriter } from './pcap-dump.js';
export type { DumpFormat, PcapDumpOptions } from './pcap-dump.js';
