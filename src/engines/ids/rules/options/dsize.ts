/** `dsize` — compare the payload size (bytes of application data in this packet): `N`, `!N`, `<N`, `>N`, `<=N`, `>=N`, `N<>M`, `N<=>M` (and Snort 2's `N-M`). */
import { compare, comparisonKey, parseComparison, type Comparison } from './util.js';
import { defineOption, type MatchContext } from './types.js';

export const dsize = defineOption<Comparison>({
  name: 'dsize',
  kind: 'match',
  help: 'compare the payload size (bytes of application data in this packet)',
  params: [{ name: 'value', type: 'expr', help: 'comparison against 0..65535' }],
  parse: (args) => parseComparison(args, 65535),
  key: comparisonKey,
  eval: evalDsize,
});

/** Evaluates a `dsize` option (exported for the rule evaluator's direct dispatch). */
export function evalDsize(c: Comparison, m: MatchContext): boolean {
  return compare(c, m.pkt.payload.length);
}
