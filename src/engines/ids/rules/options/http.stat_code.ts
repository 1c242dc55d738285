/** `http.stat_code;` — sticky buffer: later payload options inspect the HTTP response status code. */
import { stickyBuffer } from './modifier.js';

export const httpStatCodeBuffer = stickyBuffer('http.stat_code', 'http_stat_code', 'inspect the HTTP response status code');
