/** `seq` — compare the TCP sequence number: `N`, `!N`, `<N`, `>N`, `<=N`, `>=N`, `N<>M`, `N<=>M` (and Snort 2's `N-M`). */
import { compare, comparisonKey, parseComparison, type Comparison } from './util.js';
import { defineOption } from './types.js';

export const seq = defineOption<Comparison>({
  name: 'seq',
  kind: 'match',
  help: 'compare the TCP sequence number',
  params: [{ name: 'value', type: 'expr', help: 'comparison against 0..4294967295' }],
  parse: (args) => parseComparison(args, 4294967295),
  key: comparisonKey,
  eval(c, m) {
    const v = m.pkt.tcp?.seq;
    return v !== undefined && compare(c, v);
  },
});
