/** `tls.certs;` — sticky buffer: later payload options inspect each certificate of the TLS chain (DER). */
import { stickyBuffer } from './modifier.js';

export const tlsCertsBuffer = stickyBuffer('tls.certs', 'tls_certs', 'inspect each certificate of the TLS chain (DER)');
