import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ioctlFlags } from '../common/netdev.js';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { interfaceDetails } from './interface_details.js';

const sys = (iface: string, attr: string) => readFileSync(`/sys/class/net/${iface}/${attr}`, 'utf8').trim();

describe('interface_details', () => {
  it('equals /sys/class/net for every interface', () => {
    const rows = collectRows(interfaceDetails);
    // Other tests may add or remove interfaces meanwhile: compare those present before and after.
    const present = new Set(readdirSync('/sys/class/net'));
    expect(rows.map((r) => r.interface)).toContain('lo');
    for (const r of rows.filter((x) => present.has(String(x.interface)))) {
      const name = String(r.interface);
      expect(r.mac).toBe(sys(name, 'address'));
      expect(r.mtu).toBe(Number(sys(name, 'mtu')));
      expect(r.type).toBe(Number(sys(name, 'type')) & 0xff);
      expect(Number(r.flags) & 0xffff & ~0x40).toBe(Number.parseInt(sys(name, 'flags'), 16) & ~0x40);
      expect(Number(r.ibytes)).toBeLessThanOrEqual(Number(sys(name, 'statistics/rx_bytes')));
    }
  });

  it('derives RUNNING and LOWER_UP from the operational state like SIOCGIFFLAGS', () => {
    expect(ioctlFlags(0x1003, 'up', true)).toBe(69699);
    expect(ioctlFlags(0x9, 'unknown', true)).toBe(65609);
    expect(ioctlFlags(0x1002, 'down', false)).toBe(0x1002);
  });

  it.skipIf(schemaMissing)('has osquery columns', () => {
    for (const r of collectRows(interfaceDetails)) expect(columnMismatch('interface_details', r)).toBe('');
  });
});
