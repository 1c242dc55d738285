/** lxd_instance_config: the configuration keys of an LXD instance (needs WHERE name = ...). */
import { dj } from '../common/docker-api.js';
import { lxdGet } from '../common/lxd-api.js';
import type { Row, TableImpl } from '../../types.js';

/** Rows for an instance object's config. */
export function lxdInstanceConfigRows(name: string, instance: unknown): Row[] {
  return Object.entries(dj.obj(dj.obj(instance).config)).map(([key, value]) => ({ name, key, value: typeof value === 'string' ? value : JSON.stringify(value) }));
}

/** Generator for osquery's `lxd_instance_config` table. */
export const lxdInstanceConfig: TableImpl = {
  name: 'lxd_instance_config',
  *generate(ctx) {
    const names = ctx.constraint('name') ?? [];
    const answers = lxdGet(names.map((n) => `/1.0/instances/${encodeURIComponent(n)}`), ctx, 'lxd_instance_config');
    for (let i = 0; i < names.length; i++) if (answers[i] !== undefined) yield* lxdInstanceConfigRows(names[i], answers[i]);
  },
};
