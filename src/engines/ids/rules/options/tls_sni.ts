/** `tls_sni;` — sticky buffer: later payload options inspect the TLS SNI (Suricata 4 name of tls.sni). */
import { stickyBuffer } from './modifier.js';

export const tlsSni = stickyBuffer('tls_sni', 'tls_sni', 'inspect the TLS SNI (Suricata 4 name of tls.sni)');
