import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { addressRows, interfaceAddresses } from './interface_addresses.js';

describe('interface_addresses', () => {
  it('equals os.networkInterfaces()', () => {
    const want = Object.entries(networkInterfaces())
      .flatMap(([name, infos]) => (infos ?? []).map((i) => [name, i.scopeid ? `${i.address}%${name}` : i.address, i.netmask].join(' ')))
      .sort();
    const got = collectRows(interfaceAddresses).map((r) => [r.interface, r.address, r.mask].join(' ')).sort();
    // Loopback is stable; other tests may create interfaces meanwhile, so compare what both reads saw.
    const lo = (l: string[]) => l.filter((x) => x.startsWith('lo '));
    expect(lo(got)).toEqual(lo(want));
    const both = want.filter((x) => got.includes(x));
    expect(both.length).toBeGreaterThanOrEqual(Math.min(want.length, got.length) - 2);
  });

  it('computes the broadcast address for broadcast interfaces and the peer for the others', () => {
    const info = { address: '10.1.2.3', netmask: '255.255.240.0', family: 'IPv4', mac: '', internal: false, cidr: '10.1.2.3/20' } as const;
    expect(addressRows('eth9', [info], 0x1003)[0]).toMatchObject({ broadcast: '10.1.15.255', point_to_point: '' });
    expect(addressRows('lo', [info], 0x9)[0]).toMatchObject({ broadcast: '', point_to_point: '10.1.2.3' });
  });

  it.skipIf(schemaMissing)('has osquery columns', () => {
    for (const r of collectRows(interfaceAddresses)) expect(columnMismatch('interface_addresses', r)).toBe('');
  });
});
