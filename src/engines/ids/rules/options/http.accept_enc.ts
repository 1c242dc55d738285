/** `http.accept_enc;` — sticky buffer: later payload options inspect the Accept-Encoding header value. */
import { stickyBuffer } from './modifier.js';

export const httpAcceptEncBuffer = stickyBuffer('http.accept_enc', 'http_accept_enc', 'inspect the Accept-Encoding header value');
