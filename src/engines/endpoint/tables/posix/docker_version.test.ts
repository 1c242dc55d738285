import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDockerServer, type FakeDocker } from '../common/testdata/docker-server.js';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { dockerVersion } from './docker_version.js';

let docker: FakeDocker;
beforeAll(async () => {
  docker = await startDockerServer();
});
afterAll(async () => {
  await docker.stop();
});

describe('docker_version', () => {
  it('reads the Docker API on a unix socket (protocol test)', () => {
    const rows = collectRows(dockerVersion);
    expect(rows).toEqual([{ version: '24.0.7', api_version: '1.43', min_api_version: '1.12', git_commit: '311b9ff', go_version: 'go1.20.10', os: 'linux', arch: 'amd64', kernel_version: '6.1.0', build_time: '2023-10-26T09:08:02.000000000+00:00' }]);
    if (!schemaMissing) for (const r of rows) expect(columnMismatch('docker_version', r)).toBe('');
  });

  it('yields nothing without a Docker socket', () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    try {
      expect(collectRows(dockerVersion)).toEqual([]);
    } finally {
      process.env.DOCKER_HOST = saved;
    }
  });
});
