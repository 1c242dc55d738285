/** `http.content_type;` — sticky buffer: later payload options inspect the Content-Type header value. */
import { stickyBuffer } from './modifier.js';

export const httpContentTypeBuffer = stickyBuffer('http.content_type', 'http_content_type', 'inspect the Content-Type header value');
