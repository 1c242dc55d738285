/**
 * `http_start` — the request/status line plus headers. Snort 2 / Suricata: a modifier after a content (`content:"x"; http_start;`);
 * Snort 3: a sticky buffer before the contents (`http_start; content:"x";`).
 */
import { httpModifier } from './modifier.js';

export const httpStart = httpModifier('http_start', 'http_start', 'inspect the request/status line plus headers');
