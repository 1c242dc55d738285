/** `fragoffset` — compare the IPv4 fragment offset field (in 8-byte units): `N`, `!N`, `<N`, `>N`, `<=N`, `>=N`, `N<>M`, `N<=>M` (and Snort 2's `N-M`). */
import { compare, comparisonKey, parseComparison, type Comparison } from './util.js';
import { defineOption } from './types.js';

export const fragoffset = defineOption<Comparison>({
  name: 'fragoffset',
  kind: 'match',
  help: 'compare the IPv4 fragment offset field (in 8-byte units)',
  params: [{ name: 'value', type: 'expr', help: 'comparison against 0..8191' }],
  parse: (args) => parseComparison(args, 8191),
  key: comparisonKey,
  eval(c, m) {
    const ip = m.pkt.ip;
    const v = ip?.version === 4 ? ip.fragOffset / 8 : undefined;
    return v !== undefined && compare(c, v);
  },
});
