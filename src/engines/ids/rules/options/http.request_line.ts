/** `http.request_line;` — sticky buffer: later payload options inspect the whole HTTP request line. */
import { stickyBuffer } from './modifier.js';

export const httpRequestLineBuffer = stickyBuffer('http.request_line', 'http_request_line', 'inspect the whole HTTP request line');
