/** `file_data;` — sticky buffer: later payload options inspect file contents: the decoded HTTP response body, SMTP/POP/IMAP attachments. */
import { stickyBuffer } from './modifier.js';

export const fileData = stickyBuffer('file_data', 'file_data', 'inspect file contents: the decoded HTTP response body, SMTP/POP/IMAP attachments');
