/**
 * Table batch B (hardware, network, browsers, language packages, yara ...): the implementations
 * ep-tables-b owns, sorted by table name. ep-core wires this list into the table registry, which
 * refuses duplicate names.
 */
import type { TableImpl } from '../types.js';
import { arpCache } from './linux/arp_cache.js';
import { chromeExtensionContentScripts } from './linux/chrome_extension_content_scripts.js';
import { chromeExtensions } from './linux/chrome_extensions.js';
import { cpuInfo } from './linux/cpu_info.js';
import { firefoxAddons } from './linux/firefox_addons.js';
import { interfaceAddresses } from './linux/interface_addresses.js';
import { interfaceDetails } from './linux/interface_details.js';
import { iptables } from './linux/iptables.js';
import { memoryInfo } from './linux/memory_info.js';
import { npmPackages } from './linux/npm_packages.js';
import { pythonPackages } from './linux/python_packages.js';
import { routes } from './linux/routes.js';
import { yaraFile } from './linux/yara_file.js';
import { yaraProcess } from './linux/yara_process.js';
import { blockDevices } from './posix/block_devices.js';
import { diskEncryption } from './posix/disk_encryption.js';
import { dockerContainers } from './posix/docker_containers.js';
import { loadAverage } from './posix/load_average.js';
import { sudoers } from './posix/sudoers.js';
import { suidBin } from './posix/suid_bin.js';
import { systemControls } from './posix/system_controls.js';
import { usbDevices } from './posix/usb_devices.js';

/** Batch B tables, sorted by table name. */
export const tablesB: readonly TableImpl[] = [
  arpCache,
  blockDevices,
  chromeExtensionContentScripts,
  chromeExtensions,
  cpuInfo,
  diskEncryption,
  dockerContainers,
  firefoxAddons,
  interfaceAddresses,
  interfaceDetails,
  iptables,
  loadAverage,
  memoryInfo,
  npmPackages,
  pythonPackages,
  routes,
  sudoers,
  suidBin,
  systemControls,
  usbDevices,
  yaraFile,
  yaraProcess,
];
