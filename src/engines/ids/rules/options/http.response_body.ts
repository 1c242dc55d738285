/** `http.response_body;` — sticky buffer: later payload options inspect the decoded HTTP response body. */
import { stickyBuffer } from './modifier.js';

export const httpResponseBodyBuffer = stickyBuffer('http.response_body', 'file_data', 'inspect the decoded HTTP response body');
