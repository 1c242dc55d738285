import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDockerServer, type FakeDocker } from '../common/testdata/docker-server.js';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { dockerImages } from './docker_images.js';

let docker: FakeDocker;
beforeAll(async () => {
  docker = await startDockerServer();
});
afterAll(async () => {
  await docker.stop();
});

describe('docker_images', () => {
  it('reads the Docker API on a unix socket (protocol test)', () => {
    const rows = collectRows(dockerImages);
    expect(rows).toEqual([
      { id: '0011', created: 1699000000, size_bytes: 187000000, tags: 'nginx:1.25,nginx:latest' },
      { id: '0022', created: 1698000000, size_bytes: 5000, tags: '' },
    ]);
    if (!schemaMissing) for (const r of rows) expect(columnMismatch('docker_images', r)).toBe('');
  });

  it('yields nothing without a Docker socket', () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    try {
      expect(collectRows(dockerImages)).toEqual([]);
    } finally {
      process.env.DOCKER_HOST = saved;
    }
  });
});
