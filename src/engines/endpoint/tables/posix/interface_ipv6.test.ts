import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { interfaceIpv6 } from './interface_ipv6.js';

describe('interface_ipv6', () => {
  it('equals /proc/sys/net/ipv6/conf for each interface', () => {
    const rows = collectRows(interfaceIpv6);
    for (const r of rows) {
      const read = (f: string) => Number(readFileSync(`/proc/sys/net/ipv6/conf/${r.interface}/${f}`, 'utf8'));
      expect([r.hop_limit, r.forwarding_enabled, r.redirect_accept, r.rtadv_accept]).toEqual([
        read('hop_limit'), read('forwarding'), read('accept_redirects'), read('accept_ra'),
      ]);
      if (!schemaMissing) expect(columnMismatch('interface_ipv6', r)).toBe('');
    }
  });
});
