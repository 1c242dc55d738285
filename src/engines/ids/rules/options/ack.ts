/** `ack` — compare the TCP acknowledgement number: `N`, `!N`, `<N`, `>N`, `<=N`, `>=N`, `N<>M`, `N<=>M` (and Snort 2's `N-M`). */
import { compare, comparisonKey, parseComparison, type Comparison } from './util.js';
import { defineOption } from './types.js';

export const ack = defineOption<Comparison>({
  name: 'ack',
  kind: 'match',
  help: 'compare the TCP acknowledgement number',
  params: [{ name: 'value', type: 'expr', help: 'comparison against 0..4294967295' }],
  parse: (args) => parseComparison(args, 4294967295),
  key: comparisonKey,
  eval(c, m) {
    const v = m.pkt.tcp?.ack;
    return v !== undefined && compare(c, v);
  },
});
