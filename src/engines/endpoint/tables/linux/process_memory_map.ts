import { existsSync } from 'node:fs';
import type { TableImpl } from '../../types.js';
import { PROC_ROOT, listPids, parseMaps, readTextOrUndefined } from '../common/proc.js';

/**
 * `process_memory_map`: the mappings of each process from /proc/<pid>/maps. `WHERE pid = N` reads one
 * process.
 *
 * @example
 * const rows = [...processMemoryMap.generate(createTestContext({ constraints: { pid: ['1'] } }))];
 */
export const processMemoryMap: TableImpl = {
  name: 'process_memory_map',
  *generate(ctx) {
    for (const pid of listPids(ctx)) {
      if (ctx.signal.aborted) return;
      const path = `${PROC_ROOT}/${pid}/maps`;
      const text = readTextOrUndefined(path);
      if (text === undefined) {
        if (existsSync(`${PROC_ROOT}/${pid}`)) ctx.warn(`process_memory_map: cannot read ${path}; pid ${pid} skipped`);
        continue;
      }
      for (const m of parseMaps(text)) {
        yield {
          pid: Number(pid),
          start: m.start,
          end: m.end,
          permissions: m.permissions,
          offset: m.offset,
          device: m.device,
          inode: m.inode,
          path: m.path,
          pseudo: m.pseudo,
        };
      }
    }
  },
};
