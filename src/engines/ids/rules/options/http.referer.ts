/** `http.referer;` — sticky buffer: later payload options inspect the Referer header value. */
import { stickyBuffer } from './modifier.js';

export const httpRefererBuffer = stickyBuffer('http.referer', 'http_referer', 'inspect the Referer header value');
