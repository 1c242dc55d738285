/**
 * `http_user_agent` — the User-Agent header value. Snort 2 / Suricata: a modifier after a content (`content:"x"; http_user_agent;`);
 * Snort 3: a sticky buffer before the contents (`http_user_agent; content:"x";`).
 */
import { httpModifier } from './modifier.js';

export const httpUserAgent = httpModifier('http_user_agent', 'http_user_agent', 'inspect the User-Agent header value');
