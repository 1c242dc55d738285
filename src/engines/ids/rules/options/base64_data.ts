/** `base64_data;` — sticky buffer: later payload options inspect what base64_decode produced. */
import { stickyBuffer } from './modifier.js';

export const base64Data = stickyBuffer('base64_data', 'base64_data', 'inspect the output of the preceding base64_decode');
