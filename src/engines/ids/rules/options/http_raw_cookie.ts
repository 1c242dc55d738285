/**
 * `http_raw_cookie` — the HTTP cookie values as sent. Snort 2 / Suricata: a modifier after a content (`content:"x"; http_raw_cookie;`);
 * Snort 3: a sticky buffer before the contents (`http_raw_cookie; content:"x";`).
 */
import { httpModifier } from './modifier.js';

export const httpRawCookie = httpModifier('http_raw_cookie', 'http_raw_cookie', 'inspect the HTTP cookie values as sent');
