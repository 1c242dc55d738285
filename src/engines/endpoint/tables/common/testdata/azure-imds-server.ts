/**
 * A real HTTP server answering like Azure's instance metadata service (the documented
 * /metadata/instance JSON, Metadata: true header required), in a worker thread.
 */
import { Worker } from 'node:worker_threads';

const SERVER = `
const http = require('node:http');
const { parentPort } = require('node:worker_threads');
const compute = { azEnvironment: 'AzurePublicCloud', location: 'westeurope', name: 'web-1', offer: '0001-com-ubuntu-server-jammy', osType: 'Linux',
  placementGroupId: '', platformFaultDomain: '0', platformUpdateDomain: '0', publisher: 'canonical', resourceGroupName: 'rg-web', sku: '22_04-lts-gen2',
  subscriptionId: '8d10da13-8125-4ba9-a717-bf7490507b3d', tags: 'env:prod;team:web', tagsList: [{ name: 'env', value: 'prod' }, { name: 'team', value: 'web' }],
  version: '22.04.202401010', vmId: '02aab8a4-74ef-476e-8182-f6d2ba4166a6', vmScaleSetName: '', vmSize: 'Standard_B2s', zone: '1' };
const server = http.createServer((req, res) => {
  if (req.headers.metadata !== 'true') { res.statusCode = 400; res.end('{"error":"Bad request. Required metadata header not specified"}'); return; }
  if (!req.url.startsWith('/metadata/instance?')) { res.statusCode = 404; res.end('{}'); return; }
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ compute, network: { interface: [] } }));
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
`;

/** Starts the server; `endpoint` is its base URL. */
export async function startAzureImdsServer(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const worker = new Worker(SERVER, { eval: true });
  const port = await new Promise<number>((resolve) => worker.once('message', resolve));
  return { endpoint: `http://127.0.0.1:${port}`, stop: async () => void (await worker.terminate()) };
}
