/** `ttl` — compare the IPv4 time-to-live (IPv6 hop limit): `N`, `!N`, `<N`, `>N`, `<=N`, `>=N`, `N<>M`, `N<=>M` (and Snort 2's `N-M`). */
import { compare, comparisonKey, parseComparison, type Comparison } from './util.js';
import { defineOption } from './types.js';

export const ttl = defineOption<Comparison>({
  name: 'ttl',
  kind: 'match',
  help: 'compare the IPv4 time-to-live (IPv6 hop limit)',
  params: [{ name: 'value', type: 'expr', help: 'comparison against 0..255' }],
  parse: (args) => parseComparison(args, 255),
  key: comparisonKey,
  eval(c, m) {
    const ip = m.pkt.ip;
    const v = ip === undefined ? undefined : ip.version === 4 ? ip.ttl : ip.hopLimit;
    return v !== undefined && compare(c, v);
  },
});
