/** `ja3.string;` — sticky buffer: later payload options inspect the JA3 string of the TLS client hello. */
import { stickyBuffer } from './modifier.js';

export const ja3StringBuffer = stickyBuffer('ja3.string', 'ja3_string', 'inspect the JA3 string of the TLS client hello');
