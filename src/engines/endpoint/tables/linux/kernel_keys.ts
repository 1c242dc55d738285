import type { Row, TableImpl } from '../../types.js';
import { readOptionalText, tokens } from '../common/text-table.js';

/**
 * Parses /proc/keys ("serial flags usage timeout perm uid gid type description: summary"). Like osquery,
 * the description is the rest of the line without its spaces ("_uid.0: empty" -> "_uid.0:empty").
 *
 * @example
 * parseKernelKeys('0bf92f8a I------     1 perm 0f0b0000     0     0 keyring   .blacklist: empty\n')[0]?.type // 'keyring'
 */
export function parseKernelKeys(text: string): Row[] {
  const rows: Row[] = [];
  for (const line of text.split('\n')) {
    const f = tokens(line);
    if (f.length < 9) continue;
    const uid = Number(f[5]);
    const gid = Number(f[6]);
    const usage = Number(f[2]);
    rows.push({
      serial_number: f[0]!,
      flags: f[1]!,
      usage: Number.isFinite(usage) ? usage : null,
      timeout: f[3]!,
      permissions: f[4]!,
      uid: Number.isFinite(uid) ? uid : null,
      gid: Number.isFinite(gid) ? gid : null,
      type: f[7]!,
      description: f.slice(8).join(''),
    });
  }
  return rows;
}

/**
 * `kernel_keys`: the kernel keyrings and keys this user can see (/proc/keys).
 *
 * @example
 * const keyrings = [...kernelKeys.generate(createTestContext())].filter((r) => r.type === 'keyring');
 */
export const kernelKeys: TableImpl = {
  name: 'kernel_keys',
  *generate(ctx) {
    const text = readOptionalText('/proc/keys', ctx, 'kernel_keys');
    if (text !== undefined) yield* parseKernelKeys(text);
  },
};
