/**
 * Table batch A (processes, users, packages, /etc ...): the implementations ep-tables-a owns, sorted by
 * table name. ep-core wires this list into the table registry, which refuses duplicate names.
 */
import type { TableImpl } from '../types.js';
import { aptSources } from './linux/apt_sources.js';
import { debPackageFiles } from './linux/deb_package_files.js';
import { debPackages } from './linux/deb_packages.js';
import { groups } from './linux/groups.js';
import { kernelInfo } from './linux/kernel_info.js';
import { kernelKeys } from './linux/kernel_keys.js';
import { kernelModules } from './linux/kernel_modules.js';
import { last } from './linux/last.js';
import { listeningPorts } from './linux/listening_ports.js';
import { loggedInUsers } from './linux/logged_in_users.js';
import { mounts } from './linux/mounts.js';
import { osVersion } from './linux/os_version.js';
import { portageKeywords } from './linux/portage_keywords.js';
import { portagePackages } from './linux/portage_packages.js';
import { portageUse } from './linux/portage_use.js';
import { processEnvs } from './linux/process_envs.js';
import { processMemoryMap } from './linux/process_memory_map.js';
import { processNamespaces } from './linux/process_namespaces.js';
import { processOpenFiles } from './linux/process_open_files.js';
import { processOpenPipes } from './linux/process_open_pipes.js';
import { processOpenSockets } from './linux/process_open_sockets.js';
import { processes } from './linux/processes.js';
import { rpmPackageFiles } from './linux/rpm_package_files.js';
import { rpmPackages } from './linux/rpm_packages.js';
import { shadow } from './linux/shadow.js';
import { startupItems } from './linux/startup_items.js';
import { systemInfo } from './linux/system_info.js';
import { systemdUnits } from './linux/systemd_units.js';
import { time } from './linux/time.js';
import { uptime } from './linux/uptime.js';
import { userGroups } from './linux/user_groups.js';
import { users } from './linux/users.js';
import { yumSources } from './linux/yum_sources.js';
import { authorizedKeys } from './posix/authorized_keys.js';
import { crontab } from './posix/crontab.js';
import { dnsResolvers } from './posix/dns_resolvers.js';
import { etcHosts } from './posix/etc_hosts.js';
import { etcProtocols } from './posix/etc_protocols.js';
import { etcServices } from './posix/etc_services.js';
import { shellHistory } from './posix/shell_history.js';

/** Batch A tables, sorted by table name. */
export const tablesA: readonly TableImpl[] = [
  aptSources,
  authorizedKeys,
  crontab,
  debPackageFiles,
  debPackages,
  dnsResolvers,
  etcHosts,
  etcProtocols,
  etcServices,
  groups,
  kernelInfo,
  kernelKeys,
  kernelModules,
  last,
  listeningPorts,
  loggedInUsers,
  mounts,
  osVersion,
  portageKeywords,
  portagePackages,
  portageUse,
  processEnvs,
  processMemoryMap,
  processNamespaces,
  processOpenFiles,
  processOpenPipes,
  processOpenSockets,
  processes,
  rpmPackageFiles,
  rpmPackages,
  shadow,
  shellHistory,
  startupItems,
  systemInfo,
  systemdUnits,
  time,
  uptime,
  userGroups,
  users,
  yumSources,
];
