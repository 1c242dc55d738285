import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTAINER_ID, startDockerServer, type FakeDocker } from '../common/testdata/docker-server.js';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { dockerContainerEnvs } from './docker_container_envs.js';

let docker: FakeDocker;
beforeAll(async () => {
  docker = await startDockerServer();
});
afterAll(async () => {
  await docker.stop();
});

describe('docker_container_envs', () => {
  it('reads the Docker API on a unix socket (protocol test)', () => {
    const rows = collectRows(dockerContainerEnvs);
    expect(rows).toEqual([
      { id: CONTAINER_ID, key: 'PATH', value: '/usr/bin' },
      { id: CONTAINER_ID, key: 'EMPTY', value: '' },
      { id: CONTAINER_ID, key: 'NGINX_VERSION', value: '1.25' },
    ]);
    if (!schemaMissing) for (const r of rows) expect(columnMismatch('docker_container_envs', r)).toBe('');
  });

  it('yields nothing without a Docker socket', () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    try {
      expect(collectRows(dockerContainerEnvs)).toEqual([]);
    } finally {
      process.env.DOCKER_HOST = saved;
    }
  });
});
