import { existsSync } from 'node:fs';
import type { TableImpl } from '../../types.js';
import { PROC_ROOT, listPids, parseEnviron, readBytesOrUndefined } from '../common/proc.js';

/**
 * `process_envs`: one row per environment variable of each process, from /proc/<pid>/environ (the
 * environment the process started with). `WHERE pid = N` reads one process.
 *
 * @example
 * const rows = [...processEnvs.generate(createTestContext({ constraints: { pid: ['1'] } }))];
 */
export const processEnvs: TableImpl = {
  name: 'process_envs',
  *generate(ctx) {
    for (const pid of listPids(ctx)) {
      if (ctx.signal.aborted) return;
      const path = `${PROC_ROOT}/${pid}/environ`;
      const bytes = readBytesOrUndefined(path);
      if (bytes === undefined) {
        if (existsSync(`${PROC_ROOT}/${pid}`)) ctx.warn(`process_envs: cannot read ${path}; pid ${pid} skipped`);
        continue;
      }
      for (const [key, value] of parseEnviron(bytes)) yield { pid: Number(pid), key, value };
    }
  },
};
