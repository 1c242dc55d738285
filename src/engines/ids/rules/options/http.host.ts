/** `http.host;` — sticky buffer: later payload options inspect the normalised (lower-cased) Host header value. */
import { stickyBuffer } from './modifier.js';

export const httpHostBuffer = stickyBuffer('http.host', 'http_host', 'inspect the normalised (lower-cased) Host header value');
