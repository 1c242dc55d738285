/** docker_container_stats: one resource-usage sample per container (GET /containers/{id}/stats?stream=false). */
import { dj, dockerGet, hasDockerSocket } from '../common/docker-api.js';
import type { Row, TableImpl } from '../../types.js';

function nanos(v: unknown): number | null {
  const t = typeof v === 'string' ? Date.parse(v) : Number.NaN;
  return Number.isFinite(t) ? t : null;
}

/** The row for one container's stats document. */
export function dockerStatsRow(id: string, body: unknown): Row {
  const s = dj.obj(body);
  const cpu = dj.obj(s.cpu_stats);
  const pre = dj.obj(s.precpu_stats);
  const mem = dj.obj(s.memory_stats);
  const memStats = dj.obj(mem.stats);
  const io = dj.arr(dj.obj(s.blkio_stats).io_service_bytes_recursive).map(dj.obj);
  const ioSum = (op: string) => io.filter((e) => dj.str(e.op).toLowerCase() === op).reduce((n, e) => n + (dj.num(e.value) ?? 0), 0);
  const nets = Object.values(dj.obj(s.networks)).map(dj.obj);
  const read = nanos(s.read);
  const preread = nanos(s.preread);
  return {
    id,
    name: dj.str(s.name),
    pids: dj.num(dj.obj(s.pids_stats).current),
    read: read === null ? null : Math.floor(read / 1000),
    preread: preread === null ? null : Math.floor(preread / 1000),
    // Milliseconds between the two samples.
    interval: read !== null && preread !== null && preread > 0 ? read - preread : null,
    disk_read: ioSum('read'),
    disk_write: ioSum('write'),
    num_procs: dj.num(s.num_procs),
    cpu_total_usage: dj.num(dj.obj(cpu.cpu_usage).total_usage),
    cpu_kernelmode_usage: dj.num(dj.obj(cpu.cpu_usage).usage_in_kernelmode),
    cpu_usermode_usage: dj.num(dj.obj(cpu.cpu_usage).usage_in_usermode),
    system_cpu_usage: dj.num(cpu.system_cpu_usage),
    online_cpus: dj.num(cpu.online_cpus),
    pre_cpu_total_usage: dj.num(dj.obj(pre.cpu_usage).total_usage),
    pre_cpu_kernelmode_usage: dj.num(dj.obj(pre.cpu_usage).usage_in_kernelmode),
    pre_cpu_usermode_usage: dj.num(dj.obj(pre.cpu_usage).usage_in_usermode),
    pre_system_cpu_usage: dj.num(pre.system_cpu_usage),
    pre_online_cpus: dj.num(pre.online_cpus),
    memory_usage: dj.num(mem.usage),
    memory_cached: dj.num(memStats.cache),
    memory_inactive_file: dj.num(memStats.inactive_file),
    memory_total_inactive_file: dj.num(memStats.total_inactive_file),
    memory_max_usage: dj.num(mem.max_usage),
    memory_limit: dj.num(mem.limit),
    network_rx_bytes: nets.reduce((n, e) => n + (dj.num(e.rx_bytes) ?? 0), 0),
    network_tx_bytes: nets.reduce((n, e) => n + (dj.num(e.tx_bytes) ?? 0), 0),
  };
}

/** Generator for osquery's `docker_container_stats` table (needs WHERE id = ...). */
export const dockerContainerStats: TableImpl = {
  name: 'docker_container_stats',
  *generate(ctx) {
    const ids = ctx.constraint('id') ?? [];
    if (ids.length === 0 || !hasDockerSocket()) return;
    const answers = dockerGet(ids.map((id) => `/containers/${encodeURIComponent(id)}/stats?stream=false`));
    for (let i = 0; i < ids.length; i++) {
      const a = answers[i];
      if ('error' in a || a.status !== 200) ctx.warn(`docker_container_stats: no stats for container ${ids[i]}: ${'error' in a ? a.error : `HTTP ${a.status}`}`);
      else yield dockerStatsRow(ids[i], a.body);
    }
  },
};
