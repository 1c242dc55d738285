/** `endswith` — content modifier: the previous content must be at the end of the buffer. Snort 3 writes it inside content (`content:"x",endswith`). */
import { contentModifier } from './modifier.js';

export const endswith = contentModifier('endswith', 'the previous content must be at the end of the buffer', 'none', []);
