/** `bsize` (Suricata) — compare the length of the current sticky buffer: `N`, `<N`, `>N`, `N<>M`. */
import { compare, comparisonKey, parseComparison, type Comparison } from './util.js';
import { defineOption } from './types.js';

export const bsize = defineOption<Comparison>({
  name: 'bsize',
  kind: 'match',
  help: 'compare the length of the current buffer',
  params: [{ name: 'size', type: 'expr', help: 'N, <N, >N, N<>M' }],
  usesBuffer: true,
  parse: (args) => parseComparison(args, 0xffffff),
  key: comparisonKey,
  eval: (c, m) => compare(c, m.buf.length),
});
