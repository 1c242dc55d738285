/** `icode` — compare the ICMP code: `N`, `!N`, `<N`, `>N`, `<=N`, `>=N`, `N<>M`, `N<=>M` (and Snort 2's `N-M`). */
import { compare, comparisonKey, parseComparison, type Comparison } from './util.js';
import { defineOption, type MatchContext } from './types.js';

export const icode = defineOption<Comparison>({
  name: 'icode',
  kind: 'match',
  help: 'compare the ICMP code',
  params: [{ name: 'value', type: 'expr', help: 'comparison against 0..255' }],
  parse: (args) => parseComparison(args, 255),
  key: comparisonKey,
  eval: evalIcode,
});

/** Evaluates an `icode` option (exported for the rule evaluator's direct dispatch). */
export function evalIcode(c: Comparison, m: MatchContext): boolean {
  const v = m.pkt.icmp?.code;
  return v !== undefined && compare(c, v);
}
