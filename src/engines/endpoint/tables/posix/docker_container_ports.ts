/** docker_container_ports: published and exposed ports of the local Docker Engine's containers. */
import { dj, dockerFilters, dockerJson } from '../common/docker-api.js';
import type { Row, TableImpl } from '../../types.js';

/** Rows for a /containers/json answer. */
export function dockerContainerPortRows(body: unknown): Row[] {
  return dj.arr(body).flatMap((x) => {
    const c = dj.obj(x);
    return dj.arr(c.Ports).map((p) => {
      const port = dj.obj(p);
      return { id: dj.str(c.Id), type: dj.str(port.Type), port: dj.num(port.PrivatePort), host_ip: dj.str(port.IP), host_port: dj.num(port.PublicPort) ?? 0 };
    });
  });
}

/** Generator for osquery's `docker_container_ports` table. */
export const dockerContainerPorts: TableImpl = {
  name: 'docker_container_ports',
  generate: (ctx) => dockerContainerPortRows(dockerJson(`/containers/json?all=1&${dockerFilters({ id: ctx.constraint('id') })}`, ctx, 'docker_container_ports')),
};
