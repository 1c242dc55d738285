/** `window` — compare the TCP window size: `N`, `!N`, `<N`, `>N`, `<=N`, `>=N`, `N<>M`, `N<=>M` (and Snort 2's `N-M`). */
import { compare, comparisonKey, parseComparison, type Comparison } from './util.js';
import { defineOption } from './types.js';

export const window = defineOption<Comparison>({
  name: 'window',
  kind: 'match',
  help: 'compare the TCP window size',
  params: [{ name: 'value', type: 'expr', help: 'comparison against 0..65535' }],
  parse: (args) => parseComparison(args, 65535),
  key: comparisonKey,
  eval(c, m) {
    const v = m.pkt.tcp?.window;
    return v !== undefined && compare(c, v);
  },
});
