/** `http.uri;` — sticky buffer: later payload options inspect the normalised HTTP request URI. */
import { stickyBuffer } from './modifier.js';

export const httpUriBuffer = stickyBuffer('http.uri', 'http_uri', 'inspect the normalised HTTP request URI');
