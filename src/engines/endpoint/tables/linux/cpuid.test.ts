import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { cpuid, cpuidRows, deviceReader, type Registers } from './cpuid.js';

const device = deviceReader();
const deviceMissing = device === undefined ? 'skipped: /dev/cpu/0/cpuid is not readable (modprobe cpuid; run as root)' : undefined;
device?.close();

/** /proc/cpuinfo names for some osquery feature names. */
const CPUINFO_NAME: Record<string, string> = { sse3: 'pni', 'sse4.1': 'sse4_1', 'sse4.2': 'sse4_2', lahfsahf: 'lahf_lm', page1gb: 'pdpe1gb', clfsh: 'clflush', htt: 'ht', sha: 'sha_ni' };

describe('cpuid', () => {
  it.skipIf(deviceMissing)('agrees with the vendor and the flags /proc/cpuinfo shows', () => {
    const rows = collectRows(cpuid);
    const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
    expect(rows.find((r) => r.feature === 'vendor')?.value).toBe(/^vendor_id\s*:\s*(\S+)/m.exec(cpuinfo)?.[1]);
    const flags = new Set((/^flags\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? '').split(' '));
    // The kernel hides or renames a few bits; these it reports verbatim.
    for (const f of ['sse', 'sse2', 'sse3', 'ssse3', 'sse4.1', 'sse4.2', 'aes', 'avx', 'avx2', 'bmi2', 'nx', 'lm', 'pae', 'hypervisor', 'page1gb', 'sha']) {
      const row = rows.find((r) => r.feature === f)!;
      expect(row.value, f).toBe(flags.has(CPUINFO_NAME[f] ?? f) ? '1' : '0');
    }
    if (!schemaMissing) for (const r of rows) expect(columnMismatch('cpuid', r)).toBe('');
  });

  it('decodes recorded leaves of a real AMD EPYC guest', () => {
    // Registers read from /dev/cpu/0/cpuid on an AMD EPYC (Zen 3) KVM guest.
    const leaves: Record<string, Registers> = {
      '0,0': [0x1c, 0x68747541, 0x444d4163, 0x69746e65],
      '80000000,0': [0x80000021, 0x68747541, 0x444d4163, 0x69746e65],
      '80000002,0': [0x20444d41, 0x43595045, 0x0, 0x0],
      '80000003,0': [0x0, 0x0, 0x0, 0x0],
      '80000004,0': [0x0, 0x0, 0x0, 0x0],
      '1,0': [0xa10f11, 0x20800, 0xfffa3203, 0x178bfbff],
      '40000000,0': [0x40000001, 0x4b4d564b, 0x564b4d56, 0x4d],
      '3,0': [0x0, 0x0, 0x0, 0x0],
    };
    const rows = cpuidRows((leaf, sub = 0) => leaves[`${leaf.toString(16)},${sub}`]);
    const get = (f: string) => rows.find((r) => r.feature === f);
    expect(get('vendor')).toEqual({ feature: 'vendor', value: 'AuthenticAMD', output_register: 'ebx,edx,ecx', output_bit: 0, input_eax: '0' });
    expect(get('product_name')?.value).toBe('AMD EPYC');
    expect(get('hypervisor_id')?.value).toBe('400000014b4d564b564b4d56');
    expect(get('family')?.value).toBe('0f00');
    expect(get('sse2')?.value).toBe('1');
    expect(get('vmx')?.value).toBe('0');
    expect(get('avx2')).toBeUndefined(); // leaf 7 was not recorded
  });
});
