/**
 * `http_accept` — the Accept header value. Snort 2 / Suricata: a modifier after a content (`content:"x"; http_accept;`);
 * Snort 3: a sticky buffer before the contents (`http_accept; content:"x";`).
 */
import { httpModifier } from './modifier.js';

export const httpAccept = httpModifier('http_accept', 'http_accept', 'inspect the Accept header value');
