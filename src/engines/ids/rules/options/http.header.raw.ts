/** `http.header.raw;` — sticky buffer: later payload options inspect the HTTP headers as sent. */
import { stickyBuffer } from './modifier.js';

export const httpHeaderRawBuffer = stickyBuffer('http.header.raw', 'http_raw_header', 'inspect the HTTP headers as sent');
