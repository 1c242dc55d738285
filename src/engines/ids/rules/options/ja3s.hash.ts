/** `ja3s.hash;` — sticky buffer: later payload options inspect the JA3S hash of the TLS server hello. */
import { stickyBuffer } from './modifier.js';

export const ja3sHashBuffer = stickyBuffer('ja3s.hash', 'ja3s_hash', 'inspect the JA3S hash of the TLS server hello');
