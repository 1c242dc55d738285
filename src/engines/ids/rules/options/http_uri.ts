/**
 * `http_uri` — the normalised HTTP request URI. Snort 2 / Suricata: a modifier after a content (`content:"x"; http_uri;`);
 * Snort 3: a sticky buffer before the contents (`http_uri; content:"x";`).
 */
import { httpModifier } from './modifier.js';

export const httpUri = httpModifier('http_uri', 'http_uri', 'inspect the normalised HTTP request URI');
