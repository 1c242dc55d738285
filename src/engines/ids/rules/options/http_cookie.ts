/**
 * `http_cookie` — the HTTP cookie values. Snort 2 / Suricata: a modifier after a content (`content:"x"; http_cookie;`);
 * Snort 3: a sticky buffer before the contents (`http_cookie; content:"x";`).
 */
import { httpModifier } from './modifier.js';

export const httpCookie = httpModifier('http_cookie', 'http_cookie', 'inspect the HTTP cookie values');
