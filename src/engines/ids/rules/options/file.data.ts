/** `file.data;` — sticky buffer: later payload options inspect file contents (Suricata name of file_data). */
import { stickyBuffer } from './modifier.js';

export const fileDataBuffer = stickyBuffer('file.data', 'file_data', 'inspect file contents (Suricata name of file_data)');
