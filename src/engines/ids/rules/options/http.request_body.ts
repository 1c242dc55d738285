/** `http.request_body;` — sticky buffer: later payload options inspect the HTTP request body. */
import { stickyBuffer } from './modifier.js';

export const httpRequestBodyBuffer = stickyBuffer('http.request_body', 'http_client_body', 'inspect the HTTP request body');
