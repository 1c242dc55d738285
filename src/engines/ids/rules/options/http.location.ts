/** `http.location;` — sticky buffer: later payload options inspect the Location header value. */
import { stickyBuffer } from './modifier.js';

export const httpLocationBuffer = stickyBuffer('http.location', 'http_location', 'inspect the Location header value');
