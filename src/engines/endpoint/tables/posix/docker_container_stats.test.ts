import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTAINER_ID, startDockerServer, type FakeDocker } from '../common/testdata/docker-server.js';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { dockerContainerStats } from './docker_container_stats.js';

let docker: FakeDocker;
beforeAll(async () => {
  docker = await startDockerServer();
});
afterAll(async () => {
  await docker.stop();
});

describe('docker_container_stats', () => {
  it('reads the Docker API on a unix socket (protocol test)', () => {
    const rows = collectRows(dockerContainerStats, { constraints: { id: [CONTAINER_ID] } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: CONTAINER_ID, name: '/web', pids: 3, read: 1700000001, preread: 1700000000, interval: 1000, disk_read: 4097, disk_write: 8192, cpu_total_usage: 1000, pre_system_cpu_usage: 49000, online_cpus: 2, memory_usage: 1048576, memory_cached: 4096, memory_limit: 25276502016, network_rx_bytes: 101, network_tx_bytes: 202 });
    if (!schemaMissing) for (const r of rows) expect(columnMismatch('docker_container_stats', r)).toBe('');
  });

  it('yields nothing without a Docker socket', () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    try {
      expect(collectRows(dockerContainerStats, { constraints: { id: [CONTAINER_ID] } })).toEqual([]);
    } finally {
      process.env.DOCKER_HOST = saved;
    }
  });
});
