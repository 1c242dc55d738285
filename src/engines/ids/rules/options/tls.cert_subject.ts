/** `tls.cert_subject;` — sticky buffer: later payload options inspect the TLS server certificate subject. */
import { stickyBuffer } from './modifier.js';

export const tlsCertSubjectBuffer = stickyBuffer('tls.cert_subject', 'tls_cert_subject', 'inspect the TLS server certificate subject');
