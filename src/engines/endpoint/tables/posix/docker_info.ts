/** docker_info: the local Docker Engine's system information (GET /info). */
import { dj, dockerJson } from '../common/docker-api.js';
import type { Row, TableImpl } from '../../types.js';

/** The row for an /info answer. */
export function dockerInfoRow(body: unknown): Row {
  const i = dj.obj(body);
  return {
    id: dj.str(i.ID), containers: dj.num(i.Containers), containers_running: dj.num(i.ContainersRunning), containers_paused: dj.num(i.ContainersPaused),
    containers_stopped: dj.num(i.ContainersStopped), images: dj.num(i.Images), storage_driver: dj.str(i.Driver), memory_limit: dj.bool(i.MemoryLimit),
    swap_limit: dj.bool(i.SwapLimit), kernel_memory: dj.bool(i.KernelMemory), cpu_cfs_period: dj.bool(i.CpuCfsPeriod), cpu_cfs_quota: dj.bool(i.CpuCfsQuota),
    cpu_shares: dj.bool(i.CPUShares), cpu_set: dj.bool(i.CPUSet), ipv4_forwarding: dj.bool(i.IPv4Forwarding), bridge_nf_iptables: dj.bool(i.BridgeNfIptables),
    bridge_nf_ip6tables: dj.bool(i.BridgeNfIp6tables), oom_kill_disable: dj.bool(i.OomKillDisable), logging_driver: dj.str(i.LoggingDriver),
    cgroup_driver: dj.str(i.CgroupDriver), kernel_version: dj.str(i.KernelVersion), os: dj.str(i.OperatingSystem), os_type: dj.str(i.OSType),
    architecture: dj.str(i.Architecture), cpus: dj.num(i.NCPU), memory: dj.num(i.MemTotal), http_proxy: dj.str(i.HttpProxy), https_proxy: dj.str(i.HttpsProxy),
    no_proxy: dj.str(i.NoProxy), name: dj.str(i.Name), server_version: dj.str(i.ServerVersion), root_dir: dj.str(i.DockerRootDir),
  };
}

/** Generator for osquery's `docker_info` table. */
export const dockerInfo: TableImpl = {
  name: 'docker_info',
  *generate(ctx) {
    const body = dockerJson('/info', ctx, 'docker_info');
    if (body !== undefined) yield dockerInfoRow(body);
  },
};
