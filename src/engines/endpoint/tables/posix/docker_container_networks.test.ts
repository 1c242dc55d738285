import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTAINER_ID, startDockerServer, type FakeDocker } from '../common/testdata/docker-server.js';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { dockerContainerNetworks } from './docker_container_networks.js';

let docker: FakeDocker;
beforeAll(async () => {
  docker = await startDockerServer();
});
afterAll(async () => {
  await docker.stop();
});

describe('docker_container_networks', () => {
  it('reads the Docker API on a unix socket (protocol test)', () => {
    const rows = collectRows(dockerContainerNetworks);
    expect(rows).toEqual([{ id: CONTAINER_ID, name: 'bridge', network_id: 'n1', endpoint_id: 'e1', gateway: '172.17.0.1', ip_address: '172.17.0.2', ip_prefix_len: 16, ipv6_gateway: '', ipv6_address: '', ipv6_prefix_len: 0, mac_address: '02:42:ac:11:00:02' }]);
    if (!schemaMissing) for (const r of rows) expect(columnMismatch('docker_container_networks', r)).toBe('');
  });

  it('yields nothing without a Docker socket', () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    try {
      expect(collectRows(dockerContainerNetworks)).toEqual([]);
    } finally {
      process.env.DOCKER_HOST = saved;
    }
  });
});
