/** `offset` — content modifier: start searching the previous content this many bytes into the buffer. Snort 3 writes it inside content (`content:"x",offset N`). */
import { contentModifier } from './modifier.js';

export const offset = contentModifier('offset', 'start searching the previous content this many bytes into the buffer', 'signed', [{ name: 'value', type: 'expr', help: 'start searching the previous content this many bytes into the buffer' }]);
