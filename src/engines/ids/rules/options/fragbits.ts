/** `fragbits` — IPv4 fragment flags M (more fragments), D (don't fragment), R (reserved), with + * !. */
import { defineOption } from './types.js';
import { parseBitTest, testBits, type BitTestCfg } from './flags.js';

const BITS: Readonly<Record<string, number>> = { M: 0x1, D: 0x2, R: 0x4 };

export const fragbits = defineOption<BitTestCfg>({
  name: 'fragbits',
  kind: 'match',
  help: 'test IPv4 fragmentation bits M, D, R with + (all of), * (any of), ! (none of)',
  params: [{ name: 'bits', type: 'string', help: '[+*!]MDR' }],
  parse: (args) => parseBitTest(args, BITS, 'fragbits'),
  key: (c) => `${c.mode}${c.bits}`,
  eval: (c, m) => m.pkt.ip?.version === 4 && testBits(c, m.pkt.ip.flags),
});
