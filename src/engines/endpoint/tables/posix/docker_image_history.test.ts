import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDockerServer, type FakeDocker } from '../common/testdata/docker-server.js';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { dockerImageHistory } from './docker_image_history.js';

let docker: FakeDocker;
beforeAll(async () => {
  docker = await startDockerServer();
});
afterAll(async () => {
  await docker.stop();
});

describe('docker_image_history', () => {
  it('reads the Docker API on a unix socket (protocol test)', () => {
    const rows = collectRows(dockerImageHistory, {});
    expect(rows).toEqual([
      { id: '0011', created: 1699000000, size: 0, created_by: '/bin/sh -c #(nop)  CMD ["nginx"]', tags: 'nginx:1.25', comment: '' },
      { id: '0011', created: 1698999000, size: 74800000, created_by: '/bin/sh -c #(nop) ADD file:abc in / ', tags: '', comment: 'base' },
    ]);
    if (!schemaMissing) for (const r of rows) expect(columnMismatch('docker_image_history', r)).toBe('');
  });

  it('yields nothing without a Docker socket', () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    try {
      expect(collectRows(dockerImageHistory, {})).toEqual([]);
    } finally {
      process.env.DOCKER_HOST = saved;
    }
  });
});
