/** `depth` — content modifier: search the previous content only in this many bytes from its offset. Snort 3 writes it inside content (`content:"x",depth N`). */
import { contentModifier } from './modifier.js';

export const depth = contentModifier('depth', 'search the previous content only in this many bytes from its offset', 'number', [{ name: 'value', type: 'expr', help: 'search the previous content only in this many bytes from its offset' }]);
