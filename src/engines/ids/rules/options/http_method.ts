/**
 * `http_method` — the HTTP request method. Snort 2 / Suricata: a modifier after a content (`content:"x"; http_method;`);
 * Snort 3: a sticky buffer before the contents (`http_method; content:"x";`).
 */
import { httpModifier } from './modifier.js';

export const httpMethod = httpModifier('http_method', 'http_method', 'inspect the HTTP request method');
