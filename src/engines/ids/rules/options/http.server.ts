/** `http.server;` — sticky buffer: later payload options inspect the Server header value. */
import { stickyBuffer } from './modifier.js';

export const httpServerBuffer = stickyBuffer('http.server', 'http_server', 'inspect the Server header value');
