import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDockerServer, type FakeDocker } from '../common/testdata/docker-server.js';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { dockerImageLayers } from './docker_image_layers.js';

let docker: FakeDocker;
beforeAll(async () => {
  docker = await startDockerServer();
});
afterAll(async () => {
  await docker.stop();
});

describe('docker_image_layers', () => {
  it('reads the Docker API on a unix socket (protocol test)', () => {
    const rows = collectRows(dockerImageLayers, { constraints: { id: ['0011'] } });
    expect(rows).toEqual([
      { id: '0011', layer_id: 'aaa1', layer_order: 1 },
      { id: '0011', layer_id: 'bbb2', layer_order: 2 },
    ]);
    if (!schemaMissing) for (const r of rows) expect(columnMismatch('docker_image_layers', r)).toBe('');
  });

  it('yields nothing without a Docker socket', () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    try {
      expect(collectRows(dockerImageLayers, { constraints: { id: ['0011'] } })).toEqual([]);
    } finally {
      process.env.DOCKER_HOST = saved;
    }
  });
});
