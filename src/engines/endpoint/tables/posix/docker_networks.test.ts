import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDockerServer, type FakeDocker } from '../common/testdata/docker-server.js';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { dockerNetworks } from './docker_networks.js';

let docker: FakeDocker;
beforeAll(async () => {
  docker = await startDockerServer();
});
afterAll(async () => {
  await docker.stop();
});

describe('docker_networks', () => {
  it('reads the Docker API on a unix socket (protocol test)', () => {
    const rows = collectRows(dockerNetworks);
    expect(rows).toEqual([{ id: 'n1', name: 'bridge', driver: 'bridge', created: 1700000000, enable_ipv6: 0, subnet: '172.17.0.0/16', gateway: '172.17.0.1' }]);
    if (!schemaMissing) for (const r of rows) expect(columnMismatch('docker_networks', r)).toBe('');
  });

  it('yields nothing without a Docker socket', () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    try {
      expect(collectRows(dockerNetworks)).toEqual([]);
    } finally {
      process.env.DOCKER_HOST = saved;
    }
  });
});
