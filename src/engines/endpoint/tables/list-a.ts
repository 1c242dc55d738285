/**
 * Table batch A (processes, users, packages, /etc ...): the implementations ep-tables-a owns, sorted by
 * table name. ep-core wires this list into the table registry, which refuses duplicate names.
 */
import type { TableImpl } from '../types.js';
import { arpCache } from './linux/arp_cache.js';
import { groups } from './linux/groups.js';
import { interfaceAddresses } from './linux/interface_addresses.js';
import { interfaceDetails } from './linux/interface_details.js';
import { listeningPorts } from './linux/listening_ports.js';
import { memoryInfo } from './linux/memory_info.js';
import { processEnvs } from './linux/process_envs.js';
import { processMemoryMap } from './linux/process_memory_map.js';
import { processNamespaces } from './linux/process_namespaces.js';
import { processOpenFiles } from './linux/process_open_files.js';
import { processOpenSockets } from './linux/process_open_sockets.js';
import { processes } from './linux/processes.js';
import { routes } from './linux/routes.js';
import { shadow } from './linux/shadow.js';
import { userGroups } from './linux/user_groups.js';
import { users } from './linux/users.js';
import { blockDevices } from './posix/block_devices.js';
import { diskEncryption } from './posix/disk_encryption.js';
import { loadAverage } from './posix/load_average.js';
import { sudoers } from './posix/sudoers.js';
import { suidBin } from './posix/suid_bin.js';
import { systemControls } from './posix/system_controls.js';
import { usbDevices } from './posix/usb_devices.js';

/** Batch A tables, sorted by table name. */
export const tablesA: readonly TableImpl[] = [
  arpCache,
  blockDevices,
  diskEncryption,
  groups,
  interfaceAddresses,
  interfaceDetails,
  listeningPorts,
  loadAverage,
  memoryInfo,
  processEnvs,
  processMemoryMap,
  processNamespaces,
  processOpenFiles,
  processOpenSockets,
  processes,
  routes,
  shadow,
  sudoers,
  suidBin,
  systemControls,
  usbDevices,
  userGroups,
  users,
];
