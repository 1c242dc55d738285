/** `tls.cert_fingerprint;` — sticky buffer: later payload options inspect the TLS server certificate SHA-1 fingerprint. */
import { stickyBuffer } from './modifier.js';

export const tlsCertFingerprintBuffer = stickyBuffer('tls.cert_fingerprint', 'tls_cert_fingerprint', 'inspect the TLS server certificate SHA-1 fingerprint');
