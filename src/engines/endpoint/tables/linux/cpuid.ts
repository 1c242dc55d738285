/**
 * cpuid: processor identification and feature bits. osquery executes the CPUID instruction;
 * JavaScript cannot, so this reads the same leaves through the kernel's cpuid driver
 * (/dev/cpu/0/cpuid: a 16-byte read at offset leaf | subleaf << 32 returns eax, ebx, ecx, edx).
 * Without that device (module cpuid not loaded, or not root) the table is empty and says why.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { QueryContext, Row, TableImpl } from '../../types.js';

export const CPUID_DEVICE = '/dev/cpu/0/cpuid';

export type Registers = readonly [eax: number, ebx: number, ecx: number, edx: number];
export type CpuidReader = (leaf: number, subleaf?: number) => Registers | undefined;

type Reg = 'eax' | 'ebx' | 'ecx' | 'edx';
const REG_INDEX: Record<Reg, number> = { eax: 0, ebx: 1, ecx: 2, edx: 3 };

/** Feature bits osquery reports, in its order: [name, leaf, register, bit]. */
export const CPUID_FEATURES: readonly [string, number, Reg, number][] = [
  ['pae', 1, 'edx', 6], ['msr', 1, 'edx', 5], ['sep', 1, 'edx', 11], ['mtrr', 1, 'edx', 12], ['pge', 1, 'edx', 13], ['mca', 1, 'edx', 14],
  ['pat', 1, 'edx', 16], ['clfsh', 1, 'edx', 19], ['acpi', 1, 'edx', 22], ['mmz', 1, 'edx', 23], ['sse', 1, 'edx', 25], ['sse2', 1, 'edx', 26],
  ['ss', 1, 'edx', 27], ['htt', 1, 'edx', 28], ['ia64', 1, 'edx', 30], ['sse3', 1, 'ecx', 0], ['vmx', 1, 'ecx', 5], ['smx', 1, 'ecx', 6],
  ['ssse3', 1, 'ecx', 9], ['sdbg', 1, 'ecx', 11], ['pdcm', 1, 'ecx', 15], ['pcid', 1, 'ecx', 17], ['dca', 1, 'ecx', 18], ['sse4.1', 1, 'ecx', 19],
  ['sse4.2', 1, 'ecx', 20], ['aes', 1, 'ecx', 25], ['avx', 1, 'ecx', 28], ['hypervisor', 1, 'ecx', 31], ['sgx', 7, 'ebx', 2], ['hle', 7, 'ebx', 4],
  ['avx2', 7, 'ebx', 5], ['smep', 7, 'ebx', 7], ['bmi2', 7, 'ebx', 8], ['erms', 7, 'ebx', 9], ['invpcid', 7, 'ebx', 10], ['rtm', 7, 'ebx', 11],
  ['pqm', 7, 'ebx', 12], ['mpx', 7, 'ebx', 14], ['pqe', 7, 'ebx', 15], ['avx512f', 7, 'ebx', 16], ['avx512dq', 7, 'ebx', 17], ['rdseed', 7, 'ebx', 18],
  ['adx', 7, 'ebx', 19], ['smap', 7, 'ebx', 20], ['intel_pt', 7, 'ebx', 25], ['sha', 7, 'ebx', 29], ['umip', 7, 'ecx', 2], ['pku', 7, 'ecx', 3],
  ['ospke', 7, 'ecx', 4], ['gfni', 7, 'ecx', 8], ['vaes', 7, 'ecx', 9], ['sgx_lc', 7, 'ecx', 30], ['spec_ctrl', 7, 'edx', 26],
  ['lahfsahf', 0x80000001, 'ecx', 0], ['svm', 0x80000001, 'ecx', 2], ['3dnowprefetch', 0x80000001, 'ecx', 8], ['ibs', 0x80000001, 'ecx', 10],
  ['skinit', 0x80000001, 'ecx', 12], ['lwp', 0x80000001, 'ecx', 15], ['nx', 0x80000001, 'edx', 20], ['page1gb', 0x80000001, 'edx', 26],
  ['lm', 0x80000001, 'edx', 29],
];

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
const ascii = (...regs: number[]) => {
  const b = Buffer.alloc(regs.length * 4);
  regs.forEach((r, i) => b.writeUInt32LE(r >>> 0, i * 4));
  return b.toString('latin1');
};

/**
 * The table's rows from a CPUID reader (pure, so tests can give recorded leaves).
 *
 * @example
 * cpuidRows(deviceReader('/dev/cpu/0/cpuid'));
 */
export function cpuidRows(read: CpuidReader): Row[] {
  const rows: Row[] = [];
  const l0 = read(0);
  if (!l0) return rows;
  const row = (feature: string, value: string, register: string, bit: number, eax: string): Row => ({ feature, value, output_register: register, output_bit: bit, input_eax: eax });
  rows.push(row('vendor', ascii(l0[1], l0[3], l0[2]), 'ebx,edx,ecx', 0, '0'));
  const maxExt = read(0x80000000)?.[0] ?? 0;
  if (maxExt >= 0x80000004) {
    const brand = [0x80000002, 0x80000003, 0x80000004].map((l) => read(l) ?? [0, 0, 0, 0]).flatMap((r) => [...r]);
    rows.push(row('product_name', ascii(...brand).replace(/\0.*$/s, '').trim(), 'eax,ebx,ecx,edx', 0, '0x80000002'));
  }
  const l1 = read(1);
  if (l1 && l1[2] & (1 << 31)) {
    const hv = read(0x40000000);
    // osquery labels these ebx,ecx,edx but prints eax, ebx and ecx; kept for identical output.
    if (hv) rows.push(row('hypervisor_id', `${hex8(hv[0])}${hex8(hv[1])}${hex8(hv[2])}`, 'ebx,ecx,edx', 0, '0x40000000'));
  }
  if (l1) {
    const l3 = read(3) ?? [0, 0, 0, 0];
    rows.push(row('serial', `${hex8(l1[0])}${hex8(l3[0])}${hex8(l3[2])}`, 'eax,eax,ecx', 0, '1,3'));
    rows.push(row('family', (l1[0] & 0xf00).toString(16).padStart(4, '0'), 'eax', 0, '1'));
  }
  const leaves = new Map<number, Registers | undefined>();
  const leaf = (n: number) => {
    if (!leaves.has(n)) leaves.set(n, read(n, 0));
    return leaves.get(n);
  };
  for (const [name, n, reg, bit] of CPUID_FEATURES) {
    const r = leaf(n);
    if (!r) continue;
    rows.push(row(name, (r[REG_INDEX[reg]] >>> bit) & 1 ? '1' : '0', reg, bit, String(n)));
  }
  for (const [name, sub, eax] of [['sgx0', 0, '18'], ['sgx1', 1, '18,1']] as const) {
    const r = read(18, sub) ?? [0, 0, 0, 0];
    rows.push(row(name, r.map(hex8).join(''), 'eax,ebx,ecx,edx', 0, eax));
  }
  return rows;
}

/** A reader over the kernel's cpuid device; undefined when the device cannot be opened. */
export function deviceReader(path = CPUID_DEVICE): { read: CpuidReader; close(): void } | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  const buf = Buffer.alloc(16);
  return {
    read(leaf, subleaf = 0) {
      try {
        const n = readSync(fd, buf, 0, 16, (BigInt(subleaf) << 32n) | BigInt(leaf >>> 0));
        if (n !== 16) return undefined;
        return [buf.readUInt32LE(0), buf.readUInt32LE(4), buf.readUInt32LE(8), buf.readUInt32LE(12)];
      } catch {
        return undefined;
      }
    },
    close: () => closeSync(fd),
  };
}

/** Generator for osquery's `cpuid` table. */
export const cpuid: TableImpl = {
  name: 'cpuid',
  generate(ctx: QueryContext) {
    const dev = deviceReader();
    if (!dev) {
      ctx.warn(`cpuid: cannot open ${CPUID_DEVICE} (load the cpuid kernel module and run as root)`);
      return [];
    }
    try {
      return cpuidRows(dev.read);
    } finally {
      dev.close();
    }
  },
};
