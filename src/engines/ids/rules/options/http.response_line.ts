/** `http.response_line;` — sticky buffer: later payload options inspect the whole HTTP status line. */
import { stickyBuffer } from './modifier.js';

export const httpResponseLineBuffer = stickyBuffer('http.response_line', 'http_response_line', 'inspect the whole HTTP status line');
