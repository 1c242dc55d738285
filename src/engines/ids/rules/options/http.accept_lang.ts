/** `http.accept_lang;` — sticky buffer: later payload options inspect the Accept-Language header value. */
import { stickyBuffer } from './modifier.js';

export const httpAcceptLangBuffer = stickyBuffer('http.accept_lang', 'http_accept_lang', 'inspect the Accept-Language header value');
