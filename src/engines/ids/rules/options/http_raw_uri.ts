/**
 * `http_raw_uri` — the HTTP request URI as sent. Snort 2 / Suricata: a modifier after a content (`content:"x"; http_raw_uri;`);
 * Snort 3: a sticky buffer before the contents (`http_raw_uri; content:"x";`).
 */
import { httpModifier } from './modifier.js';

export const httpRawUri = httpModifier('http_raw_uri', 'http_raw_uri', 'inspect the HTTP request URI as sent');
