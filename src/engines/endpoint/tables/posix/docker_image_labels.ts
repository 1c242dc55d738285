/** docker_image_labels: the labels of the local Docker Engine's images. */
import { dj, dockerJson } from '../common/docker-api.js';
import type { Row, TableImpl } from '../../types.js';

/** Rows for an /images/json answer. */
export function dockerImageLabelRows(body: unknown): Row[] {
  return dj.arr(body).flatMap((x) => {
    const i = dj.obj(x);
    return Object.entries(dj.obj(i.Labels)).map(([key, value]) => ({ id: dj.id(i.Id), key, value: dj.str(value) }));
  });
}

/** Generator for osquery's `docker_image_labels` table. */
export const dockerImageLabels: TableImpl = {
  name: 'docker_image_labels',
  generate: (ctx) => dockerImageLabelRows(dockerJson('/images/json', ctx, 'docker_image_labels')),
};
