/** `raw_data;` — sticky buffer: later payload options inspect the payload before any application normalisation. */
import { stickyBuffer } from './modifier.js';

export const rawData = stickyBuffer('raw_data', 'raw_data', 'inspect the payload before any application normalisation');
