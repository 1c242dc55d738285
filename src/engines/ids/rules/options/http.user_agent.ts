/** `http.user_agent;` — sticky buffer: later payload options inspect the User-Agent header value. */
import { stickyBuffer } from './modifier.js';

export const httpUserAgentBuffer = stickyBuffer('http.user_agent', 'http_user_agent', 'inspect the User-Agent header value');
