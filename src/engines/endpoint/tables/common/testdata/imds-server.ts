/**
 * A real HTTP server that answers like EC2's instance metadata service (IMDSv2 tokens required),
 * for protocol tests; AWS_EC2_METADATA_SERVICE_ENDPOINT points the tables at it, as it would the
 * AWS CLI. It runs in a worker thread because the tables block the main thread while they wait.
 */
import { Worker } from 'node:worker_threads';

const SERVER = `
const http = require('node:http');
const { parentPort } = require('node:worker_threads');
const md = {
  'instance-id': 'i-0123456789abcdef0', 'instance-type': 't3.micro', 'local-hostname': 'ip-10-0-0-12.eu-west-1.compute.internal',
  'local-ipv4': '10.0.0.12', mac: '06:1d:9f:aa:bb:cc', 'security-groups': 'default\\nweb', 'ami-id': 'ami-0abcdef1234567890',
  'reservation-id': 'r-0fedcba9876543210', 'public-keys/0/openssh-key': 'ssh-ed25519 AAAAC3Nz test@example',
  'iam/info': JSON.stringify({ Code: 'Success', InstanceProfileArn: 'arn:aws:iam::123456789012:instance-profile/web', InstanceProfileId: 'AIPA' }),
  'tags/instance': 'Name\\nteam', 'tags/instance/Name': 'web-1', 'tags/instance/team': 'platform',
};
const doc = { accountId: '123456789012', architecture: 'x86_64', availabilityZone: 'eu-west-1a', region: 'eu-west-1', instanceId: 'i-0123456789abcdef0' };
const server = http.createServer((req, res) => {
  if (req.method === 'PUT' && req.url === '/latest/api/token') { res.end('TOKEN'); return; }
  if (req.headers['x-aws-ec2-metadata-token'] !== 'TOKEN') { res.statusCode = 401; res.end(); return; }
  if (req.url === '/latest/dynamic/instance-identity/document') { res.end(JSON.stringify(doc)); return; }
  const key = decodeURIComponent(req.url.replace('/latest/meta-data/', ''));
  if (md[key] === undefined) { res.statusCode = 404; res.end('Not Found'); return; }
  res.end(md[key]);
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
`;

/** Starts the server and sets AWS_EC2_METADATA_SERVICE_ENDPOINT; stop() restores it. */
export async function startImdsServer(): Promise<{ stop(): Promise<void> }> {
  const worker = new Worker(SERVER, { eval: true });
  const port = await new Promise<number>((resolve) => worker.once('message', resolve));
  const saved = process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
  process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = `http://127.0.0.1:${port}`;
  return {
    async stop() {
      if (saved === undefined) delete process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
      else process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = saved;
      await worker.terminate();
    },
  };
}
