/** `nocase` — content modifier: make the previous content case-insensitive (ASCII). Snort 3 writes it inside content (`content:"x",nocase`). */
import { contentModifier } from './modifier.js';

export const nocase = contentModifier('nocase', 'make the previous content case-insensitive (ASCII)', 'none', []);
