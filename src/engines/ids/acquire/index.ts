export { CaptureReader, createNumbering, readCaptureBuffer, readCaptureFile, readCaptureFiles } from './capture-reader.js';
export type { CaptureReadOptions, PacketNumbering } from './capture-reader.js';
