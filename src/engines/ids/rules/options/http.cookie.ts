/** `http.cookie;` — sticky buffer: later payload options inspect the Cookie / Set-Cookie header values. */
import { stickyBuffer } from './modifier.js';

export const httpCookieBuffer = stickyBuffer('http.cookie', 'http_cookie', 'inspect the Cookie / Set-Cookie header values');
