/** `itype` — compare the ICMP type: `N`, `!N`, `<N`, `>N`, `<=N`, `>=N`, `N<>M`, `N<=>M` (and Snort 2's `N-M`). */
import { compare, comparisonKey, parseComparison, type Comparison } from './util.js';
import { defineOption, type MatchContext } from './types.js';

export const itype = defineOption<Comparison>({
  name: 'itype',
  kind: 'match',
  help: 'compare the ICMP type',
  params: [{ name: 'value', type: 'expr', help: 'comparison against 0..255' }],
  parse: (args) => parseComparison(args, 255),
  key: comparisonKey,
  eval: evalItype,
});

/** Evaluates an `itype` option (exported for the rule evaluator's direct dispatch). */
export function evalItype(c: Comparison, m: MatchContext): boolean {
  const v = m.pkt.icmp?.type;
  return v !== undefined && compare(c, v);
}
