/** `tos` — compare the IPv4 type-of-service byte (IPv6 traffic class): `N`, `!N`, `<N`, `>N`, `<=N`, `>=N`, `N<>M`, `N<=>M` (and Snort 2's `N-M`). */
import { compare, comparisonKey, parseComparison, type Comparison } from './util.js';
import { defineOption } from './types.js';

export const tos = defineOption<Comparison>({
  name: 'tos',
  kind: 'match',
  help: 'compare the IPv4 type-of-service byte (IPv6 traffic class)',
  params: [{ name: 'value', type: 'expr', help: 'comparison against 0..255' }],
  parse: (args) => parseComparison(args, 255),
  key: comparisonKey,
  eval(c, m) {
    const ip = m.pkt.ip;
    const v = ip === undefined ? undefined : ip.version === 4 ? ip.tos : ip.trafficClass;
    return v !== undefined && compare(c, v);
  },
});
