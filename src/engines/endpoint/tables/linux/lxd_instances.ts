/** lxd_instances: LXD containers and virtual machines with their state. */
import { dj } from '../common/docker-api.js';
import { lxdGet } from '../common/lxd-api.js';
import type { Row, TableImpl } from '../../types.js';

/** The row for an instance object and its /state. */
export function lxdInstanceRow(instance: unknown, state: unknown): Row {
  const i = dj.obj(instance);
  const s = dj.obj(state);
  const config = dj.obj(i.config);
  return {
    name: dj.str(i.name),
    status: dj.str(i.status),
    stateful: dj.bool(i.stateful),
    ephemeral: dj.bool(i.ephemeral),
    created_at: dj.str(i.created_at),
    base_image: dj.str(config['volatile.base_image']),
    architecture: dj.str(i.architecture),
    os: dj.str(config['image.os']),
    description: dj.str(i.description),
    pid: dj.num(s.pid),
    processes: dj.num(s.processes),
  };
}

/** Generator for osquery's `lxd_instances` table. */
export const lxdInstances: TableImpl = {
  name: 'lxd_instances',
  *generate(ctx) {
    const pinned = ctx.constraint('name');
    const names = pinned ?? dj.arr(lxdGet(['/1.0/instances'], ctx, 'lxd_instances')[0]).map((u) => dj.str(u).split('/').pop() ?? '');
    if (names.length === 0) return;
    const answers = lxdGet(names.flatMap((n) => [`/1.0/instances/${encodeURIComponent(n)}`, `/1.0/instances/${encodeURIComponent(n)}/state`]), ctx, 'lxd_instances');
    for (let i = 0; i < names.length; i++) {
      if (answers[2 * i] !== undefined) yield lxdInstanceRow(answers[2 * i], answers[2 * i + 1]);
    }
  },
};
