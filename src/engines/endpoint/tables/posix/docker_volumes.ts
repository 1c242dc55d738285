/** docker_volumes: volumes of the local Docker Engine (GET /volumes). */
import { dj, dockerFilters, dockerJson } from '../common/docker-api.js';
import type { Row, TableImpl } from '../../types.js';

/** Rows for a /volumes answer. */
export function dockerVolumeRows(body: unknown): Row[] {
  return dj.arr(dj.obj(body).Volumes).map((x) => {
    const v = dj.obj(x);
    return { name: dj.str(v.Name), driver: dj.str(v.Driver), mount_point: dj.str(v.Mountpoint), type: dj.str(dj.obj(v.Options).type) };
  });
}

/** Generator for osquery's `docker_volumes` table. */
export const dockerVolumes: TableImpl = {
  name: 'docker_volumes',
  generate: (ctx) => dockerVolumeRows(dockerJson(`/volumes?${dockerFilters({ name: ctx.constraint('name') })}`, ctx, 'docker_volumes')),
};
