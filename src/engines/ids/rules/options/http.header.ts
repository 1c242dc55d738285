/** `http.header;` — sticky buffer: later payload options inspect the normalised HTTP headers (without the request/status line). */
import { stickyBuffer } from './modifier.js';

export const httpHeaderBuffer = stickyBuffer('http.header', 'http_header', 'inspect the normalised HTTP headers (without the request/status line)');
