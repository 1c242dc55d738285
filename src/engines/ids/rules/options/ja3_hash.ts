/** `ja3_hash;` — sticky buffer: later payload options inspect the JA3 hash (Suricata 4 name of ja3.hash). */
import { stickyBuffer } from './modifier.js';

export const ja3Hash = stickyBuffer('ja3_hash', 'ja3_hash', 'inspect the JA3 hash (Suricata 4 name of ja3.hash)');
