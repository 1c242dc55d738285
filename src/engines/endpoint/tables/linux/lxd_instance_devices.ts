/** lxd_instance_devices: the devices of an LXD instance, one row per device setting (needs WHERE name = ...). */
import { dj } from '../common/docker-api.js';
import { lxdGet } from '../common/lxd-api.js';
import type { Row, TableImpl } from '../../types.js';

/** Rows for an instance object's devices. */
export function lxdInstanceDeviceRows(name: string, instance: unknown): Row[] {
  return Object.entries(dj.obj(dj.obj(instance).devices)).flatMap(([device, d]) => {
    const settings = dj.obj(d);
    const type = dj.str(settings.type);
    return Object.entries(settings)
      .filter(([key]) => key !== 'type')
      .map(([key, value]) => ({ name, device, device_type: type, key, value: dj.str(value) }));
  });
}

/** Generator for osquery's `lxd_instance_devices` table. */
export const lxdInstanceDevices: TableImpl = {
  name: 'lxd_instance_devices',
  *generate(ctx) {
    const names = ctx.constraint('name') ?? [];
    const answers = lxdGet(names.map((n) => `/1.0/instances/${encodeURIComponent(n)}`), ctx, 'lxd_instance_devices');
    for (let i = 0; i < names.length; i++) if (answers[i] !== undefined) yield* lxdInstanceDeviceRows(names[i], answers[i]);
  },
};
