import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { dnsResolvers, parseResolvConf, resolverRows } from './dns_resolvers.js';

describe('dns_resolvers', () => {
  it('lists the nameservers /etc/resolv.conf names, in order', () => {
    let text = '';
    try {
      text = readFileSync('/etc/resolv.conf', 'utf8');
    } catch {
      // no resolv.conf: glibc falls back to the local resolver
    }
    const want = [...text.matchAll(/^nameserver\s+(\S+)/gm)].map((m) => m[1]!.replace(/%.*$/, '')).slice(0, 3);
    const got = collectRows(dnsResolvers).filter((r) => r.type === 'nameserver').map((r) => r.address);
    expect(got).toEqual(want.length > 0 ? want : ['127.0.0.1']);
  });

  it('applies glibc defaults, limits and option bits', () => {
    const s = parseResolvConf(
      'nameserver 10.0.0.1\nnameserver fe80::1%eth0\nnameserver 10.0.0.3\nnameserver 10.0.0.4\ndomain a.example\nsearch b.example c.example\nsortlist 10.0.0.0/255.0.0.0\noptions rotate edns0 ndots:2\n',
      'h',
    );
    expect(s.nameservers).toEqual(['10.0.0.1', 'fe80::1', '10.0.0.3']);
    expect(s.search).toEqual(['b.example', 'c.example']);
    expect(s.options).toBe(0x2c1 | 0x4000 | 0x100000);
    const rows = resolverRows(s);
    expect(rows.map((r) => [r.type, r.id, r.address, r.netmask])).toEqual([
      ['nameserver', 0, '10.0.0.1', '32'],
      ['nameserver', 1, 'fe80::1', '128'],
      ['nameserver', 2, '10.0.0.3', '32'],
      ['sortlist', 0, '10.0.0.0', '255.0.0.0'],
      ['search', 0, 'b.example', null],
      ['search', 1, 'c.example', null],
    ]);
  });

  it('falls back to the local resolver and the host name domain', () => {
    expect(parseResolvConf('', 'web1.corp.example')).toEqual({ nameservers: ['127.0.0.1'], search: ['corp.example'], sortlist: [], options: 0x2c1 });
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    expect(columnMismatch('dns_resolvers', collectRows(dnsResolvers)[0]!)).toBe('');
  });
});
