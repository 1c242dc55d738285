/** `ip_proto` — compare the IP protocol number: `N`, `!N`, `<N`, `>N`, or a name (tcp, udp, icmp, igmp, gre, esp, ah, ipv6-icmp...). */
import { err } from '../../../../core/result.js';
import { defineOption } from './types.js';
import { compare, comparisonKey, parseComparison, type Comparison } from './util.js';

const NAMES: Readonly<Record<string, number>> = { ip: 0, icmp: 1, igmp: 2, ggp: 3, ipip: 4, tcp: 6, egp: 8, igp: 9, udp: 17, ipv6: 41, rsvp: 46, gre: 47, esp: 50, ah: 51, 'ipv6-icmp': 58, icmpv6: 58, ospf: 89, pim: 103, vrrp: 112, l2tp: 115, sctp: 132 };

export const ipProto = defineOption<Comparison>({
  name: 'ip_proto',
  kind: 'match',
  help: 'compare the IP protocol number (or name)',
  params: [{ name: 'protocol', type: 'expr', help: '[!<>]number or name' }],
  parse(args) {
    if (args === undefined) return err('ip_proto needs a protocol');
    const m = /^\s*(!|<|>)?\s*([a-z][\w-]*)\s*$/i.exec(args);
    if (m) {
      const n = NAMES[m[2]!.toLowerCase()];
      if (n === undefined) return err(`unknown protocol name ${JSON.stringify(m[2])}`);
      return parseComparison(`${m[1] ?? ''}${n}`, 255);
    }
    return parseComparison(args, 255);
  },
  key: comparisonKey,
  eval(c, m) {
    const ip = m.pkt.ip;
    if (!ip) return false;
    return compare(c, ip.proto);
  },
});
