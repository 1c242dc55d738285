/** `tls.sni;` — sticky buffer: later payload options inspect the TLS Server Name Indication. */
import { stickyBuffer } from './modifier.js';

export const tlsSniBuffer = stickyBuffer('tls.sni', 'tls_sni', 'inspect the TLS Server Name Indication');
