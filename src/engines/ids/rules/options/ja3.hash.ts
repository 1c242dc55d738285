/** `ja3.hash;` — sticky buffer: later payload options inspect the JA3 hash of the TLS client hello (hex MD5). */
import { stickyBuffer } from './modifier.js';

export const ja3HashBuffer = stickyBuffer('ja3.hash', 'ja3_hash', 'inspect the JA3 hash of the TLS client hello (hex MD5)');
