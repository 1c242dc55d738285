/** `rawbytes` — content modifier: search the previous content in the raw packet bytes (before normalisation). Snort 3 writes it inside content (`content:"x",rawbytes`). */
import { contentModifier } from './modifier.js';

export const rawbytes = contentModifier('rawbytes', 'search the previous content in the raw packet bytes (before normalisation)', 'none', []);
