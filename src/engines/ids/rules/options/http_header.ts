/**
 * `http_header` — the normalised HTTP headers. Snort 2 / Suricata: a modifier after a content (`content:"x"; http_header;`);
 * Snort 3: a sticky buffer before the contents (`http_header; content:"x";`).
 */
import { httpModifier } from './modifier.js';

export const httpHeader = httpModifier('http_header', 'http_header', 'inspect the normalised HTTP headers');
