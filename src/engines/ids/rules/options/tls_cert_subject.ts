/** `tls_cert_subject;` — sticky buffer: later payload options inspect the TLS certificate subject (Suricata 4 name). */
import { stickyBuffer } from './modifier.js';

export const tlsCertSubject = stickyBuffer('tls_cert_subject', 'tls_cert_subject', 'inspect the TLS certificate subject (Suricata 4 name)');
