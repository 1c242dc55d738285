/**
 * `http_referer` — the Referer header value. Snort 2 / Suricata: a modifier after a content (`content:"x"; http_referer;`);
 * Snort 3: a sticky buffer before the contents (`http_referer; content:"x";`).
 */
import { httpModifier } from './modifier.js';

export const httpReferer = httpModifier('http_referer', 'http_referer', 'inspect the Referer header value');
