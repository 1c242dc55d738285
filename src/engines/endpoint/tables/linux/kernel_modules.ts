import type { Row, TableImpl } from '../../types.js';
import { readTextOrUndefined } from '../common/proc.js';

export const MODULES_FILE = '/proc/modules';

/**
 * Parses /proc/modules ("name size refcount used_by state address") into osquery's rows; trailing commas
 * are dropped from every field as osquery does ("ext4," -> "ext4", "-" stays "-").
 *
 * @example
 * parseModules('nf_nat 49152 2 xt_nat,nft_chain_nat, Live 0xffffffffc0a3e000\n')[0]?.used_by // 'xt_nat,nft_chain_nat'
 */
export function parseModules(text: string): Row[] {
  const out: Row[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/).map((d) => (d.endsWith(',') ? d.slice(0, -1) : d));
    if (f.length < 6) continue;
    const size = Number(f[1]);
    out.push({
      name: f[0]!,
      size: Number.isFinite(size) ? size : null,
      used_by: f[3]!,
      status: f[4]!,
      address: f[5]!,
    });
  }
  return out;
}

/**
 * `kernel_modules`: loaded kernel modules from /proc/modules (nothing when the kernel has no module
 * support, e.g. in micro-VMs built without it).
 *
 * @example
 * const names = [...kernelModules.generate(createTestContext())].map((r) => r.name);
 */
export const kernelModules: TableImpl = {
  name: 'kernel_modules',
  *generate() {
    const text = readTextOrUndefined(MODULES_FILE);
    if (text === undefined) return;
    yield* parseModules(text);
  },
};
