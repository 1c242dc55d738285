import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { dockerContainerRow, dockerContainers } from './docker_containers.js';

// A protocol test: a real HTTP server on a unix socket answering with the JSON shapes of Docker
// Engine API v1.30 (/containers/json and /containers/{id}/json). It runs in a worker thread because
// the table blocks the main thread while it waits for the answer.
const SERVER = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const id = 'f2a9c1d3e4b5a6978877665544332211aabbccddeeff00112233445566778899';
const summary = { Id: id, Names: ['/web'], Image: 'nginx:1.25', ImageID: 'sha256:abc', Command: 'nginx -g daemon off;', Created: 1700000000, State: 'running', Status: 'Up 2 hours' };
const inspect = { Id: id, Path: 'nginx', State: { Status: 'running', Pid: 0, StartedAt: '2023-11-14T22:13:20.1Z', FinishedAt: '0001-01-01T00:00:00Z' },
  Config: { Entrypoint: ['/docker-entrypoint.sh'], Env: ['PATH=/usr/bin', 'NGINX_VERSION=1.25'] },
  HostConfig: { Privileged: true, SecurityOpt: ['seccomp=unconfined'], ReadonlyRootfs: false } };
http.createServer((req, res) => {
  const url = new URL(req.url, 'http://docker');
  res.setHeader('Content-Type', 'application/json');
  if (url.pathname === '/v1.30/containers/json') {
    const f = JSON.parse(url.searchParams.get('filters') || '{}');
    const ok = (!f.id || f.id.some((x) => id.startsWith(x))) && (!f.name || f.name.includes('web'));
    res.end(JSON.stringify(ok ? [summary] : []));
  } else if (url.pathname === '/v1.30/containers/' + id + '/json') {
    res.end(JSON.stringify(inspect));
  } else { res.statusCode = 404; res.end('{"message":"not found"}'); }
}).listen(workerData, () => parentPort.postMessage('ready'));
`;

const dir = mkdtempSync(join(tmpdir(), 'vigil-docker-'));
const socket = join(dir, 'docker.sock');
let worker: Worker;
const savedHost = process.env.DOCKER_HOST;

beforeAll(async () => {
  worker = new Worker(SERVER, { eval: true, workerData: socket });
  await new Promise((resolve) => worker.once('message', resolve));
  process.env.DOCKER_HOST = `unix://${socket}`;
});
afterAll(async () => {
  if (savedHost === undefined) delete process.env.DOCKER_HOST;
  else process.env.DOCKER_HOST = savedHost;
  await worker.terminate();
  rmSync(dir, { recursive: true, force: true });
});

describe('docker_containers', () => {
  it('lists containers through the Docker API on a unix socket', () => {
    const rows = collectRows(dockerContainers);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: 'f2a9c1d3e4b5a6978877665544332211aabbccddeeff00112233445566778899',
      name: '/web',
      image: 'nginx:1.25',
      command: 'nginx -g daemon off;',
      created: 1700000000,
      state: 'running',
      status: 'Up 2 hours',
      path: 'nginx',
      config_entrypoint: '/docker-entrypoint.sh',
      privileged: 1,
      security_options: 'seccomp=unconfined',
      env_variables: 'PATH=/usr/bin, NGINX_VERSION=1.25',
      readonly_rootfs: 0,
      net_namespace: '',
    });
    if (!schemaMissing) expect(columnMismatch('docker_containers', rows[0])).toBe('');
  });

  it('passes id constraints to the API as filters', () => {
    expect(collectRows(dockerContainers, { constraints: { id: ['0000'] } })).toEqual([]);
    expect(collectRows(dockerContainers, { constraints: { id: ['f2a9c1d3e4b5'] } })).toHaveLength(1);
  });

  it('reads namespaces of the container process', () => {
    const row = dockerContainerRow({ Id: 'x' }, { State: { Pid: process.pid } });
    expect(row.pid).toBe(process.pid);
    expect(row.net_namespace).toMatch(/^\d+$/);
  });

  it('yields nothing when no socket exists', () => {
    process.env.DOCKER_HOST = `unix://${join(dir, 'absent.sock')}`;
    try {
      expect(collectRows(dockerContainers)).toEqual([]);
    } finally {
      process.env.DOCKER_HOST = `unix://${socket}`;
    }
  });
});
