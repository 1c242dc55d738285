/**
 * `http_raw_host` — the Host header value as sent. Snort 2 / Suricata: a modifier after a content (`content:"x"; http_raw_host;`);
 * Snort 3: a sticky buffer before the contents (`http_raw_host; content:"x";`).
 */
import { httpModifier } from './modifier.js';

export const httpRawHost = httpModifier('http_raw_host', 'http_raw_host', 'inspect the Host header value as sent');
