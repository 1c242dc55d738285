/** `http.method;` — sticky buffer: later payload options inspect the HTTP request method. */
import { stickyBuffer } from './modifier.js';

export const httpMethodBuffer = stickyBuffer('http.method', 'http_method', 'inspect the HTTP request method');
