import { cpus, hostname, machine, totalmem } from 'node:os';
import type { Row, TableImpl } from '../../types.js';
import { readTextOrUndefined } from '../common/proc.js';

const DMI = '/sys/class/dmi/id';

/** CPU facts from /proc/cpuinfo that system_info reports. */
export interface CpuInfoSummary {
  readonly brand: string | null;
  readonly subtype: string;
  readonly microcode: string | null;
  /** Distinct (physical id, core id) pairs, as boost::thread::physical_concurrency counts them. */
  readonly physicalCores: number;
  /** Distinct physical ids (CPU packages), or null when the kernel shows no topology. */
  readonly sockets: number | null;
}

/**
 * Summarises /proc/cpuinfo: model name, model number and microcode of the first processor, and the count
 * of physical cores.
 *
 * @example
 * parseCpuInfo('processor\t: 0\nmodel\t\t: 17\nmodel name\t: AMD EPYC\ncore id\t\t: 0\n\n').brand // 'AMD EPYC'
 */
export function parseCpuInfo(text: string): CpuInfoSummary {
  let brand: string | null = null;
  let subtype = '0';
  let microcode: string | null = null;
  const cores = new Set<string>();
  const packages = new Set<string>();
  let first = true;
  let physical = '0';
  let processors = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      first = false;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (key === 'processor') processors++;
    if (key === 'physical id') {
      physical = value;
      packages.add(value);
    }
    if (key === 'core id') cores.add(`${physical}/${value}`);
    if (!first) continue;
    if (key === 'model name') brand = value;
    else if (key === 'model') subtype = value;
    else if (key === 'microcode') microcode = value;
  }
  // Without topology lines (some VMs and ARM kernels), every processor counts as a core.
  return { brand, subtype, microcode, physicalCores: cores.size > 0 ? cores.size : processors, sockets: packages.size > 0 ? packages.size : null };
}

/**
 * The host's canonical name as getaddrinfo(AI_CANONNAME) finds it in /etc/hosts: the first name on the
 * line that lists the host name. osquery reports that FQDN as `hostname`; names only DNS knows are not
 * looked up (a query must not wait on the network), so the plain host name is kept then.
 *
 * @example
 * canonicalHostName('web1', '127.0.1.1 web1.example.com web1\n') // 'web1.example.com'
 */
export function canonicalHostName(host: string, hostsText: string): string {
  for (const line of hostsText.split('\n')) {
    const names = line.replace(/#.*/, '').trim().split(/\s+/).slice(1);
    if (names.includes(host)) return names[0]!;
  }
  return host;
}

function dmi(name: string): string | null {
  const v = readTextOrUndefined(`${DMI}/${name}`);
  return v === undefined ? null : v.trim();
}

/**
 * `system_info`: host name, CPU (from /proc/cpuinfo), memory and the SMBIOS identity the kernel exports
 * in /sys/class/dmi/id (empty in VMs without SMBIOS). `uuid` is the SMBIOS product UUID (root only) or
 * empty: Vigil does not invent a host id.
 *
 * @example
 * const [info] = systemInfo.generate(createTestContext());
 */
export const systemInfo: TableImpl = {
  name: 'system_info',
  *generate() {
    const cpu = parseCpuInfo(readTextOrUndefined('/proc/cpuinfo') ?? '');
    const host = hostname();
    const uuid = dmi('product_uuid');
    const row: Row = {
      hostname: canonicalHostName(host, readTextOrUndefined('/etc/hosts') ?? ''),
      uuid: uuid ?? '',
      cpu_type: machine(),
      cpu_subtype: cpu.subtype,
      cpu_brand: cpu.brand,
      cpu_physical_cores: cpu.physicalCores,
      cpu_logical_cores: cpus().length || -1,
      cpu_sockets: cpu.sockets,
      cpu_microcode: cpu.microcode,
      physical_memory: totalmem(),
      hardware_vendor: dmi('sys_vendor'),
      hardware_model: dmi('product_name') ?? '',
      hardware_version: dmi('product_version'),
      hardware_serial: dmi('product_serial'),
      board_vendor: dmi('board_vendor'),
      board_model: dmi('board_name'),
      board_version: dmi('board_version'),
      board_serial: dmi('board_serial'),
      computer_name: host,
      local_hostname: host,
      emulated_cpu_type: null,
    };
    yield row;
  },
};
