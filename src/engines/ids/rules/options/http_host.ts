/**
 * `http_host` — the normalised Host header value. Snort 2 / Suricata: a modifier after a content (`content:"x"; http_host;`);
 * Snort 3: a sticky buffer before the contents (`http_host; content:"x";`).
 */
import { httpModifier } from './modifier.js';

export const httpHost = httpModifier('http_host', 'http_host', 'inspect the normalised Host header value');
