/** `sip_body;` — sticky buffer: later payload options inspect the SIP message body (filled by the SIP inspector). */
import { stickyBuffer } from './modifier.js';

export const sipBody = stickyBuffer('sip_body', 'sip_body', 'inspect the SIP message body');
