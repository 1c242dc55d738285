/** docker_container_fs_changes: files a container changed, added or deleted (GET /containers/{id}/changes). */
import { dj, dockerGet, hasDockerSocket } from '../common/docker-api.js';
import type { Row, TableImpl } from '../../types.js';

/** Docker's change kinds as the letters `docker diff` prints. */
const KINDS: Record<number, string> = { 0: 'C', 1: 'A', 2: 'D' };

/** Rows for one container's /changes answer. */
export function dockerFsChangeRows(id: string, body: unknown): Row[] {
  return dj.arr(body).map((x) => {
    const c = dj.obj(x);
    return { id, path: dj.str(c.Path), change_type: KINDS[dj.num(c.Kind) ?? -1] ?? '' };
  });
}

/** Generator for osquery's `docker_container_fs_changes` table (needs WHERE id = ...). */
export const dockerContainerFsChanges: TableImpl = {
  name: 'docker_container_fs_changes',
  *generate(ctx) {
    const ids = ctx.constraint('id') ?? [];
    if (ids.length === 0 || !hasDockerSocket()) return;
    const answers = dockerGet(ids.map((id) => `/containers/${encodeURIComponent(id)}/changes`));
    for (let i = 0; i < ids.length; i++) {
      const a = answers[i];
      if ('error' in a || a.status !== 200) ctx.warn(`docker_container_fs_changes: no changes for container ${ids[i]}: ${'error' in a ? a.error : `HTTP ${a.status}`}`);
      else yield* dockerFsChangeRows(ids[i], a.body);
    }
  },
};
