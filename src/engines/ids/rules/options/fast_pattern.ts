/** `fast_pattern` — content modifier: use the previous content for the multi-pattern prefilter ("only", or "offset,length"). Snort 3 writes it inside content (`content:"x",fast_pattern N`). */
import { contentModifier } from './modifier.js';

export const fastPattern = contentModifier('fast_pattern', 'use the previous content for the multi-pattern prefilter ("only", or "offset,length")', 'text', [{ name: 'value', type: 'string', help: 'use the previous content for the multi-pattern prefilter ("only", or "offset,length")' }]);
