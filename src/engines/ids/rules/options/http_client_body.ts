/**
 * `http_client_body` — the HTTP request body. Snort 2 / Suricata: a modifier after a content (`content:"x"; http_client_body;`);
 * Snort 3: a sticky buffer before the contents (`http_client_body; content:"x";`).
 */
import { httpModifier } from './modifier.js';

export const httpClientBody = httpModifier('http_client_body', 'http_client_body', 'inspect the HTTP request body');
