import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { VIGIL_VERSION } from '../../../../core/version.js';
import type { TableImpl } from '../../types.js';

const instanceId = randomUUID();
const startTime = Math.floor(Date.now() / 1000 - process.uptime());

function readTrimmed(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The host UUID osquery reports: the SMBIOS product UUID when readable (root), else the systemd machine id
 * shaped as a UUID. Empty when neither exists; never invented.
 */
export function hostUuid(): string {
  const dmi = readTrimmed('/sys/class/dmi/id/product_uuid');
  if (dmi) return dmi.toLowerCase();
  const id = readTrimmed('/etc/machine-id') ?? readTrimmed('/var/lib/dbus/machine-id');
  if (id && /^[0-9a-f]{32}$/i.test(id)) {
    return `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`.toLowerCase();
  }
  return '';
}

/** The distribution id Vigil runs on (`debian`, `ubuntu`...), from os-release. */
function distro(): string {
  const text = readTrimmed('/etc/os-release') ?? readTrimmed('/usr/lib/os-release') ?? '';
  const m = /^ID="?([^"\n]*)"?$/m.exec(text);
  const v = /^VERSION_ID="?([^"\n]*)"?$/m.exec(text);
  return m ? `${m[1]}${v ? v[1] : ''}` : '';
}

/**
 * `osquery_info`, answering for Vigil: its version, pid and start time; no config or extensions (osqueryi
 * without a config reports the same), no watcher (-1). platform_mask 9 is osquery's Linux|POSIX.
 *
 * @example
 * vigil query "select version, pid from osquery_info"
 */
export const osqueryInfo: TableImpl = {
  name: 'osquery_info',
  *generate() {
    yield {
      pid: process.pid,
      uuid: hostUuid(),
      instance_id: instanceId,
      version: VIGIL_VERSION,
      config_hash: '',
      config_valid: 0,
      extensions: 'inactive',
      build_platform: 'linux',
      build_distro: distro(),
      start_time: startTime,
      watcher: -1,
      platform_mask: 9,
    };
  },
};
