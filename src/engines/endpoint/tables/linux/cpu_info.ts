/**
 * cpu_info: one row per physical processor package from /proc/cpuinfo, as osquery's Linux
 * implementation reads it (the first logical CPU of each `physical id` describes the package).
 */
import { readIntAttr, readTextOr } from '../common/sysfs.js';
import type { Row, TableImpl } from '../../types.js';

/**
 * Parses /proc/cpuinfo into one row per physical package. `maxMhz` is the package's maximum
 * clock from cpufreq, when the kernel exposes it.
 *
 * @example
 * parseCpuinfo(readFileSync('/proc/cpuinfo', 'utf8')).length; // number of sockets
 */
export function parseCpuinfo(text: string, maxMhz?: number): Row[] {
  const rows: Row[] = [];
  const seen = new Set<string>();
  for (const block of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of block.split('\n')) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      fields.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
    }
    if (!fields.has('processor')) continue;
    // Architectures without `physical id` (most ARM kernels) describe a single package.
    const id = fields.get('physical id') ?? '0';
    if (seen.has(id)) continue;
    seen.add(id);
    const mhz = Number.parseFloat(fields.get('cpu MHz') ?? '');
    const siblings = Number.parseInt(fields.get('siblings') ?? '', 10);
    rows.push({
      device_id: id,
      model: fields.get('model name') ?? '',
      manufacturer: fields.get('vendor_id') ?? '',
      processor_type: null,
      cpu_status: null,
      number_of_cores: fields.get('cpu cores') ?? '',
      logical_processors: Number.isFinite(siblings) ? siblings : null,
      address_width: fields.get('address sizes') ?? '',
      current_clock_speed: Number.isFinite(mhz) ? Math.trunc(mhz) : null,
      max_clock_speed: maxMhz ?? null,
      socket_designation: id,
      availability: null,
      load_percentage: null,
      number_of_efficiency_cores: null,
      number_of_performance_cores: null,
    });
  }
  return rows;
}

/** Generator for osquery's `cpu_info` table. */
export const cpuInfo: TableImpl = {
  name: 'cpu_info',
  generate: (ctx) => {
    const text = readTextOr('/proc/cpuinfo');
    if (text === undefined) {
      ctx.warn('cpu_info: cannot read /proc/cpuinfo');
      return [];
    }
    const khz = readIntAttr('/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq');
    return parseCpuinfo(text, khz === undefined ? undefined : Math.trunc(khz / 1000));
  },
};
