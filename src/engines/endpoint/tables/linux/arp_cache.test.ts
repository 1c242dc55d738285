import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { arpCache, parseProcNetArp } from './arp_cache.js';

describe('arp_cache', () => {
  it('equals /proc/net/arp', () => {
    const read = () => readFileSync('/proc/net/arp', 'utf8').trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/)).map((f) => [f[0], f[3], f[5]].join(' '));
    const before = read();
    const got = collectRows(arpCache).map((r) => [r.address, r.mac, r.interface].join(' '));
    const after = read();
    // Neighbours come and go: ours must hold what both reads saw and nothing neither saw.
    for (const e of before.filter((x) => after.includes(x))) expect(got).toContain(e);
    for (const e of got) expect([...before, ...after]).toContain(e);
  });

  it('marks permanent entries from ATF_PERM', () => {
    const text =
      'IP address       HW type     Flags       HW address            Mask     Device\n' +
      '10.0.0.1         0x1         0x2         aa:bb:cc:dd:ee:ff     *        eth0\n' +
      '10.0.0.9         0x1         0x6         11:22:33:44:55:66     *        eth1\n';
    expect(parseProcNetArp(text)).toEqual([
      { address: '10.0.0.1', mac: 'aa:bb:cc:dd:ee:ff', interface: 'eth0', permanent: '0' },
      { address: '10.0.0.9', mac: '11:22:33:44:55:66', interface: 'eth1', permanent: '1' },
    ]);
  });

  it.skipIf(schemaMissing)('has osquery columns', () => {
    expect(columnMismatch('arp_cache', parseProcNetArp('h\n1.2.3.4 0x1 0x2 aa:bb:cc:dd:ee:ff * lo\n')[0])).toBe('');
  });
});
