import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDockerServer, type FakeDocker } from '../common/testdata/docker-server.js';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { dockerInfo } from './docker_info.js';

let docker: FakeDocker;
beforeAll(async () => {
  docker = await startDockerServer();
});
afterAll(async () => {
  await docker.stop();
});

describe('docker_info', () => {
  it('reads the Docker API on a unix socket (protocol test)', () => {
    const rows = collectRows(dockerInfo);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: 'ABCD:EFGH', containers: 3, containers_running: 1, containers_stopped: 2, images: 5, storage_driver: 'overlay2', memory_limit: 1, swap_limit: 0, cgroup_driver: 'systemd', os: 'Debian GNU/Linux 12', cpus: 2, memory: 25276502016, root_dir: '/var/lib/docker' });
    if (!schemaMissing) for (const r of rows) expect(columnMismatch('docker_info', r)).toBe('');
  });

  it('yields nothing without a Docker socket', () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    try {
      expect(collectRows(dockerInfo)).toEqual([]);
    } finally {
      process.env.DOCKER_HOST = saved;
    }
  });
});
