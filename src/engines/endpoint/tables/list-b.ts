/**
 * Table batch B (hardware, network, browsers, language packages, yara ...): the implementations
 * ep-tables-b owns, sorted by table name. ep-core wires this list into the table registry, which
 * refuses duplicate names.
 */
import type { TableImpl } from '../types.js';
import { apparmorProfiles } from './linux/apparmor_profiles.js';
import { arpCache } from './linux/arp_cache.js';
import { azureInstanceMetadata } from './linux/azure_instance_metadata.js';
import { azureInstanceTags } from './linux/azure_instance_tags.js';
import { certificates } from './linux/certificates.js';
import { chromeExtensionContentScripts } from './linux/chrome_extension_content_scripts.js';
import { chromeExtensions } from './linux/chrome_extensions.js';
import { cpuInfo } from './linux/cpu_info.js';
import { cpuTime } from './linux/cpu_time.js';
import { cpuid } from './linux/cpuid.js';
import { curl } from './linux/curl.js';
import { curlCertificate } from './linux/curl_certificate.js';
import { ec2InstanceMetadata } from './linux/ec2_instance_metadata.js';
import { ec2InstanceTags } from './linux/ec2_instance_tags.js';
import { firefoxAddons } from './linux/firefox_addons.js';
import { interfaceAddresses } from './linux/interface_addresses.js';
import { interfaceDetails } from './linux/interface_details.js';
import { iptables } from './linux/iptables.js';
import { jetbrainsPlugins } from './linux/jetbrains_plugins.js';
import { lxdCertificates } from './linux/lxd_certificates.js';
import { lxdCluster } from './linux/lxd_cluster.js';
import { lxdClusterMembers } from './linux/lxd_cluster_members.js';
import { lxdImages } from './linux/lxd_images.js';
import { lxdInstanceConfig } from './linux/lxd_instance_config.js';
import { lxdInstanceDevices } from './linux/lxd_instance_devices.js';
import { lxdInstances } from './linux/lxd_instances.js';
import { lxdNetworks } from './linux/lxd_networks.js';
import { lxdStoragePools } from './linux/lxd_storage_pools.js';
import { mdDevices } from './linux/md_devices.js';
import { mdDrives } from './linux/md_drives.js';
import { mdPersonalities } from './linux/md_personalities.js';
import { memoryArrayMappedAddresses } from './linux/memory_array_mapped_addresses.js';
import { memoryArrays } from './linux/memory_arrays.js';
import { memoryDeviceMappedAddresses } from './linux/memory_device_mapped_addresses.js';
import { memoryDevices } from './linux/memory_devices.js';
import { memoryErrorInfo } from './linux/memory_error_info.js';
import { memoryInfo } from './linux/memory_info.js';
import { memoryMap } from './linux/memory_map.js';
import { npmPackages } from './linux/npm_packages.js';
import { oemStrings } from './linux/oem_strings.js';
import { pciDevices } from './linux/pci_devices.js';
import { platformInfo } from './linux/platform_info.js';
import { pythonPackages } from './linux/python_packages.js';
import { routes } from './linux/routes.js';
import { secureboot } from './linux/secureboot.js';
import { securebootCertificates } from './linux/secureboot_certificates.js';
import { selinuxSettings } from './linux/selinux_settings.js';
import { sharedMemory } from './linux/shared_memory.js';
import { smbiosTables } from './linux/smbios_tables.js';
import { sshConfigs } from './linux/ssh_configs.js';
import { userSshKeys } from './linux/user_ssh_keys.js';
import { vscodeExtensions } from './linux/vscode_extensions.js';
import { yaraFile } from './linux/yara_file.js';
import { yaraProcess } from './linux/yara_process.js';
import { acpiTables } from './posix/acpi_tables.js';
import { blockDevices } from './posix/block_devices.js';
import { diskEncryption } from './posix/disk_encryption.js';
import { dockerContainerEnvs } from './posix/docker_container_envs.js';
import { dockerContainerFsChanges } from './posix/docker_container_fs_changes.js';
import { dockerContainerLabels } from './posix/docker_container_labels.js';
import { dockerContainerMounts } from './posix/docker_container_mounts.js';
import { dockerContainerNetworks } from './posix/docker_container_networks.js';
import { dockerContainerPorts } from './posix/docker_container_ports.js';
import { dockerContainerStats } from './posix/docker_container_stats.js';
import { dockerContainers } from './posix/docker_containers.js';
import { dockerImageHistory } from './posix/docker_image_history.js';
import { dockerImageLabels } from './posix/docker_image_labels.js';
import { dockerImageLayers } from './posix/docker_image_layers.js';
import { dockerImages } from './posix/docker_images.js';
import { dockerInfo } from './posix/docker_info.js';
import { dockerNetworkLabels } from './posix/docker_network_labels.js';
import { dockerNetworks } from './posix/docker_networks.js';
import { dockerVersion } from './posix/docker_version.js';
import { dockerVolumeLabels } from './posix/docker_volume_labels.js';
import { dockerVolumes } from './posix/docker_volumes.js';
import { interfaceIpv6 } from './posix/interface_ipv6.js';
import { knownHosts } from './posix/known_hosts.js';
import { loadAverage } from './posix/load_average.js';
import { sudoers } from './posix/sudoers.js';
import { suidBin } from './posix/suid_bin.js';
import { systemControls } from './posix/system_controls.js';
import { ulimitInfo } from './posix/ulimit_info.js';
import { usbDevices } from './posix/usb_devices.js';

/** Batch B tables, sorted by table name. */
export const tablesB: readonly TableImpl[] = [
  acpiTables,
  apparmorProfiles,
  arpCache,
  azureInstanceMetadata,
  azureInstanceTags,
  blockDevices,
  certificates,
  chromeExtensionContentScripts,
  chromeExtensions,
  cpuInfo,
  cpuTime,
  cpuid,
  curl,
  curlCertificate,
  diskEncryption,
  dockerContainerEnvs,
  dockerContainerFsChanges,
  dockerContainerLabels,
  dockerContainerMounts,
  dockerContainerNetworks,
  dockerContainerPorts,
  dockerContainerStats,
  dockerContainers,
  dockerImageHistory,
  dockerImageLabels,
  dockerImageLayers,
  dockerImages,
  dockerInfo,
  dockerNetworkLabels,
  dockerNetworks,
  dockerVersion,
  dockerVolumeLabels,
  dockerVolumes,
  ec2InstanceMetadata,
  ec2InstanceTags,
  firefoxAddons,
  interfaceAddresses,
  interfaceDetails,
  interfaceIpv6,
  iptables,
  jetbrainsPlugins,
  knownHosts,
  loadAverage,
  lxdCertificates,
  lxdCluster,
  lxdClusterMembers,
  lxdImages,
  lxdInstanceConfig,
  lxdInstanceDevices,
  lxdInstances,
  lxdNetworks,
  lxdStoragePools,
  mdDevices,
  mdDrives,
  mdPersonalities,
  memoryArrayMappedAddresses,
  memoryArrays,
  memoryDeviceMappedAddresses,
  memoryDevices,
  memoryErrorInfo,
  memoryInfo,
  memoryMap,
  npmPackages,
  oemStrings,
  pciDevices,
  platformInfo,
  pythonPackages,
  routes,
  secureboot,
  securebootCertificates,
  selinuxSettings,
  sharedMemory,
  smbiosTables,
  sshConfigs,
  sudoers,
  suidBin,
  systemControls,
  ulimitInfo,
  usbDevices,
  userSshKeys,
  vscodeExtensions,
  yaraFile,
  yaraProcess,
];
