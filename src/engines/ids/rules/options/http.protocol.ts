/** `http.protocol;` — sticky buffer: later payload options inspect the HTTP protocol/version string. */
import { stickyBuffer } from './modifier.js';

export const httpProtocolBuffer = stickyBuffer('http.protocol', 'http_protocol', 'inspect the HTTP protocol/version string');
