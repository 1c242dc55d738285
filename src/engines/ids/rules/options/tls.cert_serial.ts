/** `tls.cert_serial;` — sticky buffer: later payload options inspect the TLS server certificate serial number. */
import { stickyBuffer } from './modifier.js';

export const tlsCertSerialBuffer = stickyBuffer('tls.cert_serial', 'tls_cert_serial', 'inspect the TLS server certificate serial number');
