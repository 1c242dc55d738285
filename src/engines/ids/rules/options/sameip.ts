/** `sameip` — the source and destination addresses are equal. */
import { err, ok } from '../../../../core/result.js';
import { defineOption } from './types.js';

export const sameip = defineOption<null>({
  name: 'sameip',
  kind: 'match',
  help: 'match packets whose source and destination IP addresses are the same',
  params: [],
  parse: (args) => (args === undefined || args.trim() === '' ? ok(null) : err('sameip takes no argument')),
  key: () => '',
  eval(_c, m) {
    const ip = m.pkt.ip;
    if (!ip) return false;
    if (ip.version === 4) return ip.src === ip.dst;
    for (let i = 0; i < 16; i++) if (ip.src[i] !== ip.dst[i]) return false;
    return true;
  },
});
