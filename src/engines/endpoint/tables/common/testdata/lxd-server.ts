/**
 * A real HTTP server on a unix socket answering like the LXD REST API (1.0, sync envelopes), for
 * protocol tests of the lxd_* tables. It runs in a worker thread because the tables block the main
 * thread while they wait. LXD_DIR points the tables at it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

const SERVER = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const sync = (metadata) => ({ type: 'sync', status: 'Success', status_code: 200, operation: '', error_code: 0, error: '', metadata });
const web = { name: 'web', status: 'Running', status_code: 103, stateful: false, ephemeral: false, created_at: '2024-01-02T03:04:05.678Z',
  architecture: 'x86_64', description: 'front end', type: 'container', profiles: ['default'],
  config: { 'image.os': 'Ubuntu', 'volatile.base_image': 'abc123', 'limits.cpu': '2' },
  devices: { root: { type: 'disk', path: '/', pool: 'default' }, eth0: { type: 'nic', network: 'lxdbr0', name: 'eth0' } } };
const routes = {
  '/1.0/instances': ['/1.0/instances/web'],
  '/1.0/instances/web': web,
  '/1.0/instances/web/state': { status: 'Running', status_code: 103, pid: 4242, processes: 17 },
  '/1.0/images?recursion=1': [{ fingerprint: 'abc123', architecture: 'x86_64', filename: 'ubuntu-22.04.tar.xz', size: 123456789, auto_update: true, cached: true, public: false,
    properties: { os: 'ubuntu', release: 'jammy', description: 'ubuntu 22.04 LTS amd64' }, aliases: [{ name: 'jammy' }, { name: 'ubuntu/22.04' }],
    created_at: '2024-01-01T00:00:00Z', expires_at: '2024-02-01T00:00:00Z', uploaded_at: '2024-01-01T01:00:00Z', last_used_at: '2024-01-02T03:04:05Z',
    update_source: { server: 'https://cloud-images.ubuntu.com/releases', protocol: 'simplestreams', certificate: '', alias: '22.04' } }],
  '/1.0/certificates?recursion=1': [{ name: 'admin', type: 'client', fingerprint: 'f00d', certificate: '-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n' }],
  '/1.0/cluster': { server_name: 'node1', enabled: true, member_config: [{ entity: 'storage-pool', name: 'local', key: 'source', value: '', description: '"source" property for storage pool "local"' }] },
  '/1.0/cluster/members?recursion=1': [{ server_name: 'node1', url: 'https://10.0.0.1:8443', database: true, status: 'Online', message: 'Fully operational' }],
  '/1.0/networks?recursion=1': [{ name: 'lxdbr0', type: 'bridge', managed: true, config: { 'ipv4.address': '10.1.1.1/24', 'ipv6.address': 'none' }, used_by: ['/1.0/instances/web'] }],
  '/1.0/networks/lxdbr0/state': { hwaddr: '00:16:3e:00:00:01', mtu: 1500, state: 'up', type: 'broadcast', counters: { bytes_received: 10, bytes_sent: 20, packets_received: 1, packets_sent: 2 } },
  '/1.0/storage-pools?recursion=1': [{ name: 'default', driver: 'zfs', config: { source: 'tank/lxd', size: '30GiB' } }],
  '/1.0/storage-pools/default/resources': { space: { used: 1000, total: 30000 }, inodes: { used: 5, total: 100 } },
};
http.createServer((req, res) => {
  const body = routes[req.url];
  res.setHeader('Content-Type', 'application/json');
  if (body === undefined) { res.statusCode = 404; res.end(JSON.stringify({ type: 'error', error: 'not found', error_code: 404 })); return; }
  res.end(JSON.stringify(sync(body)));
}).listen(workerData, () => parentPort.postMessage('ready'));
`;

export interface FakeLxd {
  stop(): Promise<void>;
}

/** Starts the server and points LXD_DIR at it; stop() restores LXD_DIR. */
export async function startLxdServer(): Promise<FakeLxd> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-lxd-'));
  const worker = new Worker(SERVER, { eval: true, workerData: join(dir, 'unix.socket') });
  await new Promise((resolve) => worker.once('message', resolve));
  const saved = process.env.LXD_DIR;
  process.env.LXD_DIR = dir;
  return {
    async stop() {
      if (saved === undefined) delete process.env.LXD_DIR;
      else process.env.LXD_DIR = saved;
      await worker.terminate();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
