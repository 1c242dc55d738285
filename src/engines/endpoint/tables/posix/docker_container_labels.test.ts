import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTAINER_ID, startDockerServer, type FakeDocker } from '../common/testdata/docker-server.js';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { dockerContainerLabels } from './docker_container_labels.js';

let docker: FakeDocker;
beforeAll(async () => {
  docker = await startDockerServer();
});
afterAll(async () => {
  await docker.stop();
});

describe('docker_container_labels', () => {
  it('reads the Docker API on a unix socket (protocol test)', () => {
    const rows = collectRows(dockerContainerLabels);
    expect(rows).toEqual([
      { id: CONTAINER_ID, key: 'com.example.team', value: 'web' },
      { id: CONTAINER_ID, key: 'maintainer', value: 'ops' },
    ]);
    if (!schemaMissing) for (const r of rows) expect(columnMismatch('docker_container_labels', r)).toBe('');
  });

  it('yields nothing without a Docker socket', () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    try {
      expect(collectRows(dockerContainerLabels)).toEqual([]);
    } finally {
      process.env.DOCKER_HOST = saved;
    }
  });
});
