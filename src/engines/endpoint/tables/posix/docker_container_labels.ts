/** docker_container_labels: the labels of the local Docker Engine's containers. */
import { dj, dockerFilters, dockerJson } from '../common/docker-api.js';
import type { Row, TableImpl } from '../../types.js';

/** Rows for a /containers/json answer. */
export function dockerContainerLabelRows(body: unknown): Row[] {
  return dj.arr(body).flatMap((x) => {
    const c = dj.obj(x);
    return Object.entries(dj.obj(c.Labels)).map(([key, value]) => ({ id: dj.str(c.Id), key, value: dj.str(value) }));
  });
}

/** Generator for osquery's `docker_container_labels` table. */
export const dockerContainerLabels: TableImpl = {
  name: 'docker_container_labels',
  generate: (ctx) => dockerContainerLabelRows(dockerJson(`/containers/json?all=1&${dockerFilters({ id: ctx.constraint('id') })}`, ctx, 'docker_container_labels')),
};
