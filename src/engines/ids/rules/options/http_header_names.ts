/**
 * `http_header_names` — the HTTP header names. Snort 2 / Suricata: a modifier after a content (`content:"x"; http_header_names;`);
 * Snort 3: a sticky buffer before the contents (`http_header_names; content:"x";`).
 */
import { httpModifier } from './modifier.js';

export const httpHeaderNames = httpModifier('http_header_names', 'http_header_names', 'inspect the HTTP header names');
