/** memory_map: the physical memory map, /proc/iomem (every region, nested ones included). */
import { readTextOr } from '../common/sysfs.js';
import type { QueryContext, Row, TableImpl } from '../../types.js';

/**
 * Parses /proc/iomem lines ("  000de000-000defff : AMZNC10C:00") into rows with 0x-prefixed bounds.
 *
 * @example
 * parseIomem('00001000-0009fbff : System RAM\n')[0]; // { name: 'System RAM', start: '0x00001000', end: '0x0009fbff' }
 */
export function parseIomem(text: string): Row[] {
  const rows: Row[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*([0-9a-f]+)-([0-9a-f]+) : (.*)$/i.exec(line);
    if (m) rows.push({ name: m[3], start: `0x${m[1]}`, end: `0x${m[2]}` });
  }
  return rows;
}

/** Generator for osquery's `memory_map` table. */
export const memoryMap: TableImpl = {
  name: 'memory_map',
  generate(ctx: QueryContext) {
    const text = readTextOr('/proc/iomem');
    if (text === undefined) {
      ctx.warn('memory_map: cannot read /proc/iomem');
      return [];
    }
    // Without CAP_SYS_ADMIN the kernel shows every address as 0; the names are still real.
    return parseIomem(text);
  },
};
