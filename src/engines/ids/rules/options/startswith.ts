/** `startswith` — content modifier: the previous content must be at the start of the buffer. Snort 3 writes it inside content (`content:"x",startswith`). */
import { contentModifier } from './modifier.js';

export const startswith = contentModifier('startswith', 'the previous content must be at the start of the buffer', 'none', []);
