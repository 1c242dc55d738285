/** docker_network_labels: the labels of the local Docker Engine's networks. */
import { dj, dockerFilters, dockerJson } from '../common/docker-api.js';
import type { Row, TableImpl } from '../../types.js';

/** Rows for a /networks answer. */
export function dockerNetworkLabelRows(body: unknown): Row[] {
  return dj.arr(body).flatMap((x) => {
    const n = dj.obj(x);
    return Object.entries(dj.obj(n.Labels)).map(([key, value]) => ({ id: dj.str(n.Id), key, value: dj.str(value) }));
  });
}

/** Generator for osquery's `docker_network_labels` table. */
export const dockerNetworkLabels: TableImpl = {
  name: 'docker_network_labels',
  generate: (ctx) => dockerNetworkLabelRows(dockerJson(`/networks?${dockerFilters({ id: ctx.constraint('id') })}`, ctx, 'docker_network_labels')),
};
