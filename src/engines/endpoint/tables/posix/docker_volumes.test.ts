import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDockerServer, type FakeDocker } from '../common/testdata/docker-server.js';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { dockerVolumes } from './docker_volumes.js';

let docker: FakeDocker;
beforeAll(async () => {
  docker = await startDockerServer();
});
afterAll(async () => {
  await docker.stop();
});

describe('docker_volumes', () => {
  it('reads the Docker API on a unix socket (protocol test)', () => {
    const rows = collectRows(dockerVolumes);
    expect(rows).toEqual([{ name: 'data', driver: 'local', mount_point: '/var/lib/docker/volumes/data/_data', type: 'tmpfs' }]);
    if (!schemaMissing) for (const r of rows) expect(columnMismatch('docker_volumes', r)).toBe('');
  });

  it('yields nothing without a Docker socket', () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    try {
      expect(collectRows(dockerVolumes)).toEqual([]);
    } finally {
      process.env.DOCKER_HOST = saved;
    }
  });
});
