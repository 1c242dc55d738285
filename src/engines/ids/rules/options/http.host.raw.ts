/** `http.host.raw;` — sticky buffer: later payload options inspect the Host header value as sent. */
import { stickyBuffer } from './modifier.js';

export const httpHostRawBuffer = stickyBuffer('http.host.raw', 'http_raw_host', 'inspect the Host header value as sent');
