/** docker_volume_labels: the labels of the local Docker Engine's volumes. */
import { dj, dockerFilters, dockerJson } from '../common/docker-api.js';
import type { Row, TableImpl } from '../../types.js';

/** Rows for a /volumes answer. */
export function dockerVolumeLabelRows(body: unknown): Row[] {
  return dj.arr(dj.obj(body).Volumes).flatMap((x) => {
    const v = dj.obj(x);
    return Object.entries(dj.obj(v.Labels)).map(([key, value]) => ({ name: dj.str(v.Name), key, value: dj.str(value) }));
  });
}

/** Generator for osquery's `docker_volume_labels` table. */
export const dockerVolumeLabels: TableImpl = {
  name: 'docker_volume_labels',
  generate: (ctx) => dockerVolumeLabelRows(dockerJson(`/volumes?${dockerFilters({ name: ctx.constraint('name') })}`, ctx, 'docker_volume_labels')),
};
