/** `distance` — content modifier: start searching the previous content this many bytes after the last match. Snort 3 writes it inside content (`content:"x",distance N`). */
import { contentModifier } from './modifier.js';

export const distance = contentModifier('distance', 'start searching the previous content this many bytes after the last match', 'signed', [{ name: 'value', type: 'expr', help: 'start searching the previous content this many bytes after the last match' }]);
