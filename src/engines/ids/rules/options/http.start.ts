/** `http.start;` — sticky buffer: later payload options inspect the request/status line plus headers. */
import { stickyBuffer } from './modifier.js';

export const httpStartBuffer = stickyBuffer('http.start', 'http_start', 'inspect the request/status line plus headers');
