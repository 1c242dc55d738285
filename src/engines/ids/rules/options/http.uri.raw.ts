/** `http.uri.raw;` — sticky buffer: later payload options inspect the HTTP request URI as sent. */
import { stickyBuffer } from './modifier.js';

export const httpUriRawBuffer = stickyBuffer('http.uri.raw', 'http_raw_uri', 'inspect the HTTP request URI as sent');
