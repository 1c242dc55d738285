/**
 * `http_raw_header` — the HTTP headers as sent. Snort 2 / Suricata: a modifier after a content (`content:"x"; http_raw_header;`);
 * Snort 3: a sticky buffer before the contents (`http_raw_header; content:"x";`).
 */
import { httpModifier } from './modifier.js';

export const httpRawHeader = httpModifier('http_raw_header', 'http_raw_header', 'inspect the HTTP headers as sent');
