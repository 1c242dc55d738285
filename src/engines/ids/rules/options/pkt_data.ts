/** `pkt_data;` — sticky buffer: later payload options inspect the packet payload (or reassembled stream data); resets a sticky buffer. */
import { stickyBuffer } from './modifier.js';

export const pktData = stickyBuffer('pkt_data', 'pkt_data', 'inspect the packet payload (or reassembled stream data); resets a sticky buffer');
