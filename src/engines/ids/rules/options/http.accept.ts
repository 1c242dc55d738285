/** `http.accept;` — sticky buffer: later payload options inspect the Accept header value. */
import { stickyBuffer } from './modifier.js';

export const httpAcceptBuffer = stickyBuffer('http.accept', 'http_accept', 'inspect the Accept header value');
