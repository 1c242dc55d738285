/**
 * `http_stat_code` — the HTTP response status code. Snort 2 / Suricata: a modifier after a content (`content:"x"; http_stat_code;`);
 * Snort 3: a sticky buffer before the contents (`http_stat_code; content:"x";`).
 */
import { httpModifier } from './modifier.js';

export const httpStatCode = httpModifier('http_stat_code', 'http_stat_code', 'inspect the HTTP response status code');
