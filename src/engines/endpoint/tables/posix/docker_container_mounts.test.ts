import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTAINER_ID, startDockerServer, type FakeDocker } from '../common/testdata/docker-server.js';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { dockerContainerMounts } from './docker_container_mounts.js';

let docker: FakeDocker;
beforeAll(async () => {
  docker = await startDockerServer();
});
afterAll(async () => {
  await docker.stop();
});

describe('docker_container_mounts', () => {
  it('reads the Docker API on a unix socket (protocol test)', () => {
    const rows = collectRows(dockerContainerMounts);
    expect(rows).toEqual([{ id: CONTAINER_ID, type: 'volume', name: 'data', source: '/var/lib/docker/volumes/data/_data', destination: '/data', driver: 'local', mode: 'z', rw: 1, propagation: '' }]);
    if (!schemaMissing) for (const r of rows) expect(columnMismatch('docker_container_mounts', r)).toBe('');
  });

  it('yields nothing without a Docker socket', () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    try {
      expect(collectRows(dockerContainerMounts)).toEqual([]);
    } finally {
      process.env.DOCKER_HOST = saved;
    }
  });
});
