import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTAINER_ID, startDockerServer, type FakeDocker } from '../common/testdata/docker-server.js';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { dockerContainerPorts } from './docker_container_ports.js';

let docker: FakeDocker;
beforeAll(async () => {
  docker = await startDockerServer();
});
afterAll(async () => {
  await docker.stop();
});

describe('docker_container_ports', () => {
  it('reads the Docker API on a unix socket (protocol test)', () => {
    const rows = collectRows(dockerContainerPorts);
    expect(rows).toEqual([
      { id: CONTAINER_ID, type: 'tcp', port: 80, host_ip: '0.0.0.0', host_port: 8080 },
      { id: CONTAINER_ID, type: 'tcp', port: 443, host_ip: '', host_port: 0 },
    ]);
    if (!schemaMissing) for (const r of rows) expect(columnMismatch('docker_container_ports', r)).toBe('');
  });

  it('yields nothing without a Docker socket', () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    try {
      expect(collectRows(dockerContainerPorts)).toEqual([]);
    } finally {
      process.env.DOCKER_HOST = saved;
    }
  });
});
