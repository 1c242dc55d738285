import { existsSync } from 'node:fs';
import type { TableImpl } from '../../types.js';
import { PROC_ROOT, listPids, readDescriptors } from '../common/proc.js';

/** Descriptors that are not files; osquery leaves them to process_open_sockets/pipes. */
const NOT_FILES = ['socket:', 'anon_inode:', 'pipe:'];

/**
 * `process_open_files`: the file descriptors of each process that point to files (/proc/<pid>/fd),
 * without sockets, pipes and anonymous inodes. `WHERE pid = N` reads one process.
 *
 * @example
 * const rows = [...processOpenFiles.generate(createTestContext({ constraints: { pid: ['1'] } }))];
 */
export const processOpenFiles: TableImpl = {
  name: 'process_open_files',
  *generate(ctx) {
    for (const pid of listPids(ctx)) {
      if (ctx.signal.aborted) return;
      const fds = readDescriptors(pid);
      if (fds === undefined) {
        if (existsSync(`${PROC_ROOT}/${pid}`)) ctx.warn(`process_open_files: cannot read ${PROC_ROOT}/${pid}/fd; pid ${pid} skipped`);
        continue;
      }
      for (const [fd, path] of fds) {
        if (NOT_FILES.some((p) => path.includes(p))) continue;
        yield { pid: Number(pid), fd: Number(fd), path };
      }
    }
  },
};
