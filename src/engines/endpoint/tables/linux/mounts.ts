import { realpathSync, statfsSync } from 'node:fs';
import type { Row, TableImpl } from '../../types.js';
import { readOptionalText } from '../common/text-table.js';

/** A line of /proc/mounts. */
export interface MountEntry {
  readonly device: string;
  readonly path: string;
  readonly type: string;
  readonly flags: string;
}

/** Undoes the octal escapes the kernel writes for space, tab, newline and backslash (\040 ...). */
export function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(Number.parseInt(oct, 8)));
}

/**
 * Parses /proc/mounts (fstab format).
 *
 * @example
 * parseMounts('/dev/sda1 /mnt/my\\040disk ext4 rw,relatime 0 0\n')[0]?.path // '/mnt/my disk'
 */
export function parseMounts(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 4) continue;
    out.push({ device: unescapeMountField(f[0]!), path: unescapeMountField(f[1]!), type: f[2]!, flags: f[3]! });
  }
  return out;
}

/**
 * `mounts`: mounted filesystems from /proc/mounts with statfs(2) sizes. A mount that cannot be stat'ed
 * (permission, stale network share) keeps its row with NULL sizes.
 *
 * @example
 * const root = [...mounts.generate(createTestContext())].find((r) => r.path === '/');
 */
export const mounts: TableImpl = {
  name: 'mounts',
  *generate(ctx) {
    const text = readOptionalText('/proc/mounts', ctx, 'mounts');
    if (text === undefined) return;
    for (const m of parseMounts(text)) {
      if (ctx.signal.aborted) return;
      let alias = m.device;
      if (m.device.startsWith('/')) {
        try {
          alias = realpathSync(m.device);
        } catch {
          alias = m.device;
        }
      }
      const row: Row = {
        device: m.device,
        device_alias: alias,
        path: m.path,
        type: m.type,
        blocks_size: null,
        blocks: null,
        blocks_free: null,
        blocks_available: null,
        inodes: null,
        inodes_free: null,
        flags: m.flags,
      };
      try {
        const s = statfsSync(m.path, { bigint: true });
        row.blocks_size = Number(s.bsize);
        row.blocks = s.blocks <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(s.blocks) : s.blocks;
        row.blocks_free = Number(s.bfree);
        row.blocks_available = Number(s.bavail);
        row.inodes = Number(s.files);
        row.inodes_free = Number(s.ffree);
      } catch (e) {
        ctx.warn(`mounts: cannot statfs ${m.path}; sizes left empty`, e);
      }
      yield row;
    }
  },
};
