/** docker_container_envs: the environment each container of the local Docker Engine was started with. */
import { dj, dockerFilters, dockerGet, dockerJson } from '../common/docker-api.js';
import type { Row, TableImpl } from '../../types.js';

/** Rows for one container's inspect document. */
export function dockerContainerEnvRows(id: string, inspect: unknown): Row[] {
  return dj.arr(dj.obj(dj.obj(inspect).Config).Env).flatMap((e) => {
    if (typeof e !== 'string') return [];
    const eq = e.indexOf('=');
    return [{ id, key: eq < 0 ? e : e.slice(0, eq), value: eq < 0 ? '' : e.slice(eq + 1) }];
  });
}

/** Generator for osquery's `docker_container_envs` table. */
export const dockerContainerEnvs: TableImpl = {
  name: 'docker_container_envs',
  *generate(ctx) {
    const list = dj.arr(dockerJson(`/containers/json?all=1&${dockerFilters({ id: ctx.constraint('id') })}`, ctx, 'docker_container_envs'));
    const ids = list.map((c) => dj.str(dj.obj(c).Id));
    const answers = dockerGet(ids.map((id) => `/containers/${encodeURIComponent(id)}/json`));
    for (let i = 0; i < ids.length; i++) {
      const a = answers[i];
      if ('error' in a || a.status !== 200) ctx.warn(`docker_container_envs: cannot inspect container ${ids[i].slice(0, 12)}`);
      else yield* dockerContainerEnvRows(ids[i], a.body);
    }
  },
};
