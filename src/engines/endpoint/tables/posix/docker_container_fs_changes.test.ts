import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTAINER_ID, startDockerServer, type FakeDocker } from '../common/testdata/docker-server.js';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { dockerContainerFsChanges } from './docker_container_fs_changes.js';

let docker: FakeDocker;
beforeAll(async () => {
  docker = await startDockerServer();
});
afterAll(async () => {
  await docker.stop();
});

describe('docker_container_fs_changes', () => {
  it('reads the Docker API on a unix socket (protocol test)', () => {
    const rows = collectRows(dockerContainerFsChanges, { constraints: { id: [CONTAINER_ID] } });
    expect(rows).toEqual([
      { id: CONTAINER_ID, path: '/etc', change_type: 'C' },
      { id: CONTAINER_ID, path: '/etc/new.conf', change_type: 'A' },
      { id: CONTAINER_ID, path: '/tmp/gone', change_type: 'D' },
    ]);
    if (!schemaMissing) for (const r of rows) expect(columnMismatch('docker_container_fs_changes', r)).toBe('');
  });

  it('yields nothing without a Docker socket', () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    try {
      expect(collectRows(dockerContainerFsChanges, { constraints: { id: [CONTAINER_ID] } })).toEqual([]);
    } finally {
      process.env.DOCKER_HOST = saved;
    }
  });
});
