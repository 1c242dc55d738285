import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDockerServer, type FakeDocker } from '../common/testdata/docker-server.js';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { dockerImageLabels } from './docker_image_labels.js';

let docker: FakeDocker;
beforeAll(async () => {
  docker = await startDockerServer();
});
afterAll(async () => {
  await docker.stop();
});

describe('docker_image_labels', () => {
  it('reads the Docker API on a unix socket (protocol test)', () => {
    const rows = collectRows(dockerImageLabels);
    expect(rows).toEqual([{ id: '0011', key: 'maintainer', value: 'NGINX' }]);
    if (!schemaMissing) for (const r of rows) expect(columnMismatch('docker_image_labels', r)).toBe('');
  });

  it('yields nothing without a Docker socket', () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    try {
      expect(collectRows(dockerImageLabels)).toEqual([]);
    } finally {
      process.env.DOCKER_HOST = saved;
    }
  });
});
