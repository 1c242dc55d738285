/** `tls.cert_issuer;` — sticky buffer: later payload options inspect the TLS server certificate issuer. */
import { stickyBuffer } from './modifier.js';

export const tlsCertIssuerBuffer = stickyBuffer('tls.cert_issuer', 'tls_cert_issuer', 'inspect the TLS server certificate issuer');
