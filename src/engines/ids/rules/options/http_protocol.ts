/**
 * `http_protocol` — the HTTP protocol/version string. Snort 2 / Suricata: a modifier after a content (`content:"x"; http_protocol;`);
 * Snort 3: a sticky buffer before the contents (`http_protocol; content:"x";`).
 */
import { httpModifier } from './modifier.js';

export const httpProtocol = httpModifier('http_protocol', 'http_protocol', 'inspect the HTTP protocol/version string');
