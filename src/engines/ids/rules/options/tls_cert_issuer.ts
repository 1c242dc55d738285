/** `tls_cert_issuer;` — sticky buffer: later payload options inspect the TLS certificate issuer (Suricata 4 name). */
import { stickyBuffer } from './modifier.js';

export const tlsCertIssuer = stickyBuffer('tls_cert_issuer', 'tls_cert_issuer', 'inspect the TLS certificate issuer (Suricata 4 name)');
