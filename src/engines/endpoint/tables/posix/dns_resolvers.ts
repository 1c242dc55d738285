import { hostname } from 'node:os';
import { isIPv6 } from 'node:net';
import type { Row, TableImpl } from '../../types.js';
import { readOptionalText, tokens } from '../common/text-table.js';

/** glibc resolver option bits (resolv.h) that resolv.conf `options` can set. */
const RES = {
  INIT: 0x1,
  DEBUG: 0x2,
  USEVC: 0x8,
  RECURSE: 0x40,
  DEFNAMES: 0x80,
  DNSRCH: 0x200,
  ROTATE: 0x4000,
  USE_EDNS0: 0x100000,
  SNGLKUP: 0x200000,
  SNGLKUPREOP: 0x400000,
  NOTLDQUERY: 0x1000000,
  NORELOAD: 0x2000000,
  TRUSTAD: 0x4000000,
  NOAAAA: 0x8000000,
} as const;

const OPTION_BITS: Readonly<Record<string, number>> = {
  debug: RES.DEBUG,
  rotate: RES.ROTATE,
  edns0: RES.USE_EDNS0,
  'single-request': RES.SNGLKUP,
  'single-request-reopen': RES.SNGLKUPREOP,
  'no-tld-query': RES.NOTLDQUERY,
  'use-vc': RES.USEVC,
  'no-reload': RES.NORELOAD,
  'trust-ad': RES.TRUSTAD,
  'no-aaaa': RES.NOAAAA,
};

/** glibc's limits: MAXNS name servers, MAXDNSRCH search domains, MAXRESOLVSORT sortlist pairs. */
const MAXNS = 3;
const MAXDNSRCH = 6;
const MAXRESOLVSORT = 10;

/** The resolver state res_init() builds from resolv.conf. */
export interface ResolverState {
  readonly nameservers: string[];
  readonly search: string[];
  readonly sortlist: { address: string; netmask: string }[];
  readonly options: number;
}

/**
 * Builds the resolver state from resolv.conf(5) text as glibc's res_init does: up to 3 nameservers
 * (127.0.0.1 when none), the last `domain`/`search` line wins (else the host name's domain), sortlist,
 * and the option bits (RES_DEFAULT | RES_INIT plus each known option).
 *
 * @example
 * parseResolvConf('nameserver 1.1.1.1\noptions rotate\n', 'host').options // 0x42c1
 */
export function parseResolvConf(text: string, host: string): ResolverState {
  const nameservers: string[] = [];
  let search: string[] | undefined;
  const sortlist: { address: string; netmask: string }[] = [];
  let options = RES.RECURSE | RES.DEFNAMES | RES.DNSRCH | RES.INIT;
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.startsWith(';')) continue;
    const t = tokens(line);
    if (t.length === 0) continue;
    const [key, ...args] = t;
    if (key === 'nameserver' && args[0] !== undefined && nameservers.length < MAXNS) {
      nameservers.push(args[0].replace(/%.*$/, ''));
    } else if (key === 'domain' && args[0] !== undefined) {
      search = [args[0]];
    } else if (key === 'search' && args.length > 0) {
      search = args.slice(0, MAXDNSRCH);
    } else if (key === 'sortlist') {
      for (const pair of args) {
        if (sortlist.length >= MAXRESOLVSORT) break;
        const [address, mask] = pair.split('/');
        if (address !== undefined) sortlist.push({ address, netmask: mask ?? '' });
      }
    } else if (key === 'options') {
      for (const opt of args) {
        const bit = OPTION_BITS[opt];
        if (bit !== undefined) options |= bit;
      }
    }
  }
  if (search === undefined) {
    const dot = host.indexOf('.');
    search = dot >= 0 && dot < host.length - 1 ? [host.slice(dot + 1)] : [];
  }
  return { nameservers: nameservers.length > 0 ? nameservers : ['127.0.0.1'], search, sortlist, options };
}

/** dns_resolvers rows for a resolver state, in osquery's order: nameservers, sortlist, search domains. */
export function resolverRows(state: ResolverState): Row[] {
  const rows: Row[] = [];
  state.nameservers.forEach((address, id) =>
    rows.push({ id, type: 'nameserver', address, netmask: isIPv6(address) ? '128' : '32', options: state.options, pid_with_namespace: 0 }),
  );
  state.sortlist.forEach((s, id) =>
    rows.push({ id, type: 'sortlist', address: s.address, netmask: s.netmask, options: state.options, pid_with_namespace: 0 }),
  );
  state.search.forEach((address, id) =>
    rows.push({ id, type: 'search', address, netmask: null, options: state.options, pid_with_namespace: 0 }),
  );
  return rows;
}

/**
 * `dns_resolvers`: the resolver configuration from /etc/resolv.conf, interpreted like glibc's res_init.
 *
 * @example
 * const servers = [...dnsResolvers.generate(createTestContext())].filter((r) => r.type === 'nameserver');
 */
export const dnsResolvers: TableImpl = {
  name: 'dns_resolvers',
  *generate(ctx) {
    const text = readOptionalText('/etc/resolv.conf', ctx, 'dns_resolvers') ?? '';
    yield* resolverRows(parseResolvConf(text, hostname()));
  },
};
