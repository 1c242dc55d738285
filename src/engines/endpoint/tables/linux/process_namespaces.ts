import { existsSync } from 'node:fs';
import type { Row, TableImpl } from '../../types.js';
import { PROC_ROOT, listPids, parseNamespaceLink, readLinkOrEmpty } from '../common/proc.js';

const KINDS = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'user', 'uts'] as const;

/**
 * `process_namespaces`: the namespace inodes of each process (/proc/<pid>/ns/*). A namespace that cannot
 * be read is NULL. `WHERE pid = N` reads one process.
 *
 * @example
 * const [init] = processNamespaces.generate(createTestContext({ constraints: { pid: ['1'] } }));
 */
export const processNamespaces: TableImpl = {
  name: 'process_namespaces',
  *generate(ctx) {
    for (const pid of listPids(ctx)) {
      if (ctx.signal.aborted) return;
      if (!existsSync(`${PROC_ROOT}/${pid}`)) continue;
      const row: Row = { pid: Number(pid) };
      for (const kind of KINDS) {
        const inode = parseNamespaceLink(readLinkOrEmpty(`${PROC_ROOT}/${pid}/ns/${kind}`), kind);
        row[`${kind}_namespace`] = inode === undefined ? null : String(inode);
      }
      yield row;
    }
  },
};
