/** `http.content_len;` — sticky buffer: later payload options inspect the Content-Length header value. */
import { stickyBuffer } from './modifier.js';

export const httpContentLenBuffer = stickyBuffer('http.content_len', 'http_content_len', 'inspect the Content-Length header value');
