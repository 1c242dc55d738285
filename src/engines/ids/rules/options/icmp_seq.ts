/** `icmp_seq` — compare the ICMP echo sequence number: `N`, `!N`, `<N`, `>N`, `<=N`, `>=N`, `N<>M`, `N<=>M` (and Snort 2's `N-M`). */
import { compare, comparisonKey, parseComparison, type Comparison } from './util.js';
import { defineOption } from './types.js';

export const icmpSeq = defineOption<Comparison>({
  name: 'icmp_seq',
  kind: 'match',
  help: 'compare the ICMP echo sequence number',
  params: [{ name: 'value', type: 'expr', help: 'comparison against 0..65535' }],
  parse: (args) => parseComparison(args, 65535),
  key: comparisonKey,
  eval(c, m) {
    const v = m.pkt.icmp?.seq;
    return v !== undefined && compare(c, v);
  },
});
