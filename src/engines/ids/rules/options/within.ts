/** `within` — content modifier: the previous content must end within this many bytes of where distance starts. Snort 3 writes it inside content (`content:"x",within N`). */
import { contentModifier } from './modifier.js';

export const within = contentModifier('within', 'the previous content must end within this many bytes of where distance starts', 'number', [{ name: 'value', type: 'expr', help: 'the previous content must end within this many bytes of where distance starts' }]);
