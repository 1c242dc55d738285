/**
 * `http_stat_msg` — the HTTP response reason phrase. Snort 2 / Suricata: a modifier after a content (`content:"x"; http_stat_msg;`);
 * Snort 3: a sticky buffer before the contents (`http_stat_msg; content:"x";`).
 */
import { httpModifier } from './modifier.js';

export const httpStatMsg = httpModifier('http_stat_msg', 'http_stat_msg', 'inspect the HTTP response reason phrase');
