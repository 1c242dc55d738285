/** `id` — compare the IPv4 identification field: `N`, `!N`, `<N`, `>N`, `<=N`, `>=N`, `N<>M`, `N<=>M` (and Snort 2's `N-M`). */
import { compare, comparisonKey, parseComparison, type Comparison } from './util.js';
import { defineOption } from './types.js';

export const idOption = defineOption<Comparison>({
  name: 'id',
  kind: 'match',
  help: 'compare the IPv4 identification field',
  params: [{ name: 'value', type: 'expr', help: 'comparison against 0..65535' }],
  parse: (args) => parseComparison(args, 65535),
  key: comparisonKey,
  eval(c, m) {
    const ip = m.pkt.ip;
    const v = ip?.version === 4 ? ip.id : undefined;
    return v !== undefined && compare(c, v);
  },
});
