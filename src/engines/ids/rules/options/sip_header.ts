/** `sip_header;` — sticky buffer: later payload options inspect the SIP headers (filled by the SIP inspector). */
import { stickyBuffer } from './modifier.js';

export const sipHeader = stickyBuffer('sip_header', 'sip_header', 'inspect the SIP message headers');
