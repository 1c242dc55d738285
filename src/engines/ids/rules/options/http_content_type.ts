/**
 * `http_content_type` — the Content-Type header value. Snort 2 / Suricata: a modifier after a content (`content:"x"; http_content_type;`);
 * Snort 3: a sticky buffer before the contents (`http_content_type; content:"x";`).
 */
import { httpModifier } from './modifier.js';

export const httpContentType = httpModifier('http_content_type', 'http_content_type', 'inspect the Content-Type header value');
