/**
 * A real HTTP server on a unix socket that answers like Docker Engine API v1.30, for protocol tests
 * of the docker_* tables. It runs in a worker thread: the tables block the main thread while they
 * wait for the answer. The JSON shapes are Docker's (trimmed to the fields the tables read).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

export const CONTAINER_ID = 'f2a9c1d3e4b5a6978877665544332211aabbccddeeff00112233445566778899';

const SERVER = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const id = ${JSON.stringify(CONTAINER_ID)};
const container = {
  Id: id, Names: ['/web'], Image: 'nginx:1.25', ImageID: 'sha256:0011', Command: 'nginx -g daemon off;', Created: 1700000000,
  Ports: [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }, { PrivatePort: 443, Type: 'tcp' }],
  Labels: { 'com.example.team': 'web', maintainer: 'ops' }, State: 'running', Status: 'Up 2 hours',
  HostConfig: { NetworkMode: 'bridge' },
  NetworkSettings: { Networks: { bridge: { NetworkID: 'n1', EndpointID: 'e1', Gateway: '172.17.0.1', IPAddress: '172.17.0.2', IPPrefixLen: 16,
    IPv6Gateway: '', GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0, MacAddress: '02:42:ac:11:00:02' } } },
  Mounts: [{ Type: 'volume', Name: 'data', Source: '/var/lib/docker/volumes/data/_data', Destination: '/data', Driver: 'local', Mode: 'z', RW: true, Propagation: '' }],
};
const inspect = { Id: id, Path: 'nginx', Config: { Env: ['PATH=/usr/bin', 'EMPTY=', 'NGINX_VERSION=1.25'] }, State: { Pid: 0 }, HostConfig: {} };
const routes = {
  '/v1.30/version': { Version: '24.0.7', ApiVersion: '1.43', MinAPIVersion: '1.12', GitCommit: '311b9ff', GoVersion: 'go1.20.10', Os: 'linux', Arch: 'amd64', KernelVersion: '6.1.0', BuildTime: '2023-10-26T09:08:02.000000000+00:00' },
  '/v1.30/info': { ID: 'ABCD:EFGH', Containers: 3, ContainersRunning: 1, ContainersPaused: 0, ContainersStopped: 2, Images: 5, Driver: 'overlay2', MemoryLimit: true,
    SwapLimit: false, KernelMemory: false, CpuCfsPeriod: true, CpuCfsQuota: true, CPUShares: true, CPUSet: true, IPv4Forwarding: true, BridgeNfIptables: true,
    BridgeNfIp6tables: true, OomKillDisable: false, LoggingDriver: 'json-file', CgroupDriver: 'systemd', KernelVersion: '6.1.0', OperatingSystem: 'Debian GNU/Linux 12',
    OSType: 'linux', Architecture: 'x86_64', NCPU: 2, MemTotal: 25276502016, HttpProxy: '', HttpsProxy: '', NoProxy: '', Name: 'host1', ServerVersion: '24.0.7', DockerRootDir: '/var/lib/docker' },
  '/v1.30/images/json': [{ Id: 'sha256:0011', Created: 1699000000, Size: 187000000, RepoTags: ['nginx:1.25', 'nginx:latest'], Labels: { maintainer: 'NGINX' } },
    { Id: 'sha256:0022', Created: 1698000000, Size: 5000, RepoTags: ['<none>:<none>'], Labels: null }],
  '/v1.30/containers/json': [container],
  ['/v1.30/containers/' + id + '/json']: inspect,
  '/v1.30/networks': [{ Name: 'bridge', Id: 'n1', Created: '2023-11-14T22:13:20.000000000Z', Driver: 'bridge', EnableIPv6: false,
    IPAM: { Driver: 'default', Config: [{ Subnet: '172.17.0.0/16', Gateway: '172.17.0.1' }] }, Labels: { scope: 'local' } }],
  '/v1.30/images/sha256:0011/history': [{ Id: 'sha256:0011', Created: 1699000000, CreatedBy: '/bin/sh -c #(nop)  CMD ["nginx"]', Tags: ['nginx:1.25'], Size: 0, Comment: '' },
    { Id: '<missing>', Created: 1698999000, CreatedBy: '/bin/sh -c #(nop) ADD file:abc in / ', Tags: null, Size: 74800000, Comment: 'base' }],
  '/v1.30/images/sha256:0022/history': [],
  '/v1.30/images/sha256:0011/json': { Id: 'sha256:0011', RootFS: { Type: 'layers', Layers: ['sha256:aaa1', 'sha256:bbb2'] } },
  '/v1.30/images/sha256:0022/json': { Id: 'sha256:0022', RootFS: { Type: 'layers', Layers: [] } },
  ['/v1.30/containers/' + id + '/changes']: [{ Path: '/etc', Kind: 0 }, { Path: '/etc/new.conf', Kind: 1 }, { Path: '/tmp/gone', Kind: 2 }],
  ['/v1.30/containers/' + id + '/stats']: { read: '2023-11-14T22:13:21.000000000Z', preread: '2023-11-14T22:13:20.000000000Z', name: '/web', id,
    pids_stats: { current: 3 }, num_procs: 0,
    blkio_stats: { io_service_bytes_recursive: [{ major: 8, minor: 0, op: 'read', value: 4096 }, { major: 8, minor: 0, op: 'write', value: 8192 }, { major: 8, minor: 0, op: 'Read', value: 1 }] },
    cpu_stats: { cpu_usage: { total_usage: 1000, usage_in_kernelmode: 300, usage_in_usermode: 700 }, system_cpu_usage: 50000, online_cpus: 2 },
    precpu_stats: { cpu_usage: { total_usage: 900, usage_in_kernelmode: 250, usage_in_usermode: 650 }, system_cpu_usage: 49000, online_cpus: 2 },
    memory_stats: { usage: 1048576, max_usage: 2097152, limit: 25276502016, stats: { cache: 4096, inactive_file: 2048, total_inactive_file: 2048 } },
    networks: { eth0: { rx_bytes: 100, tx_bytes: 200 }, eth1: { rx_bytes: 1, tx_bytes: 2 } } },
  '/v1.30/volumes': { Volumes: [{ Name: 'data', Driver: 'local', Mountpoint: '/var/lib/docker/volumes/data/_data', Labels: { backup: 'yes' }, Options: { type: 'tmpfs' }, Scope: 'local' }], Warnings: null },
};
http.createServer((req, res) => {
  const url = new URL(req.url, 'http://docker');
  const body = routes[url.pathname];
  res.setHeader('Content-Type', 'application/json');
  if (body === undefined) { res.statusCode = 404; res.end('{"message":"page not found"}'); return; }
  const f = JSON.parse(url.searchParams.get('filters') || '{}');
  if (url.pathname === '/v1.30/containers/json' && f.id && !f.id.some((x) => id.startsWith(x))) { res.end('[]'); return; }
  res.end(JSON.stringify(body));
}).listen(workerData, () => parentPort.postMessage('ready'));
`;

export interface FakeDocker {
  readonly socket: string;
  stop(): Promise<void>;
}

/** Starts the server and points DOCKER_HOST at it; stop() restores DOCKER_HOST. */
export async function startDockerServer(): Promise<FakeDocker> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-docker-'));
  const socket = join(dir, 'docker.sock');
  const worker = new Worker(SERVER, { eval: true, workerData: socket });
  await new Promise((resolve) => worker.once('message', resolve));
  const saved = process.env.DOCKER_HOST;
  process.env.DOCKER_HOST = `unix://${socket}`;
  return {
    socket,
    async stop() {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
      await worker.terminate();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
