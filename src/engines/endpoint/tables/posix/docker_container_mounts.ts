/** docker_container_mounts: volumes and bind mounts of the local Docker Engine's containers. */
import { dj, dockerFilters, dockerJson } from '../common/docker-api.js';
import type { Row, TableImpl } from '../../types.js';

/** Rows for a /containers/json answer. */
export function dockerContainerMountRows(body: unknown): Row[] {
  return dj.arr(body).flatMap((x) => {
    const c = dj.obj(x);
    return dj.arr(c.Mounts).map((m) => {
      const mount = dj.obj(m);
      return {
        id: dj.str(c.Id), type: dj.str(mount.Type), name: dj.str(mount.Name), source: dj.str(mount.Source), destination: dj.str(mount.Destination),
        driver: dj.str(mount.Driver), mode: dj.str(mount.Mode), rw: dj.bool(mount.RW), propagation: dj.str(mount.Propagation),
      };
    });
  });
}

/** Generator for osquery's `docker_container_mounts` table. */
export const dockerContainerMounts: TableImpl = {
  name: 'docker_container_mounts',
  generate: (ctx) => dockerContainerMountRows(dockerJson(`/containers/json?all=1&${dockerFilters({ id: ctx.constraint('id') })}`, ctx, 'docker_container_mounts')),
};
