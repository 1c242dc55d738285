/** `http.stat_msg;` — sticky buffer: later payload options inspect the HTTP response reason phrase. */
import { stickyBuffer } from './modifier.js';

export const httpStatMsgBuffer = stickyBuffer('http.stat_msg', 'http_stat_msg', 'inspect the HTTP response reason phrase');
