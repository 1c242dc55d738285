/** `http.header_names;` — sticky buffer: later payload options inspect the HTTP header names, each followed by CRLF, with a leading CRLF. */
import { stickyBuffer } from './modifier.js';

export const httpHeaderNamesBuffer = stickyBuffer('http.header_names', 'http_header_names', 'inspect the HTTP header names, each followed by CRLF, with a leading CRLF');
