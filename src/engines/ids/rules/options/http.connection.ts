/** `http.connection;` — sticky buffer: later payload options inspect the Connection header value. */
import { stickyBuffer } from './modifier.js';

export const httpConnectionBuffer = stickyBuffer('http.connection', 'http_connection', 'inspect the Connection header value');
