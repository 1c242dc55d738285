/**
 * EC2's instance metadata service (IMDSv2: a session token, then GETs), read synchronously through
 * a short-lived Node child process. It is only asked on EC2 (the firmware says "Amazon EC2" or the
 * hypervisor UUID starts with ec2) or when AWS_EC2_METADATA_SERVICE_ENDPOINT names an endpoint, as
 * for the AWS CLI, so other machines pay no network timeout.
 */
import { spawnSync } from 'node:child_process';
import { readTextOr } from './sysfs.js';

export const DEFAULT_IMDS_ENDPOINT = 'http://169.254.169.254';

/** The endpoint to ask, or undefined when this is not an EC2 instance. */
export function imdsEndpoint(): string | undefined {
  const configured = process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
  if (configured) return configured.replace(/\/+$/, '');
  const vendor = (readTextOr('/sys/devices/virtual/dmi/id/board_vendor') ?? '').trim();
  const uuid = (readTextOr('/sys/hypervisor/uuid') ?? readTextOr('/sys/devices/virtual/dmi/id/product_uuid') ?? '').trim().toLowerCase();
  return vendor === 'Amazon EC2' || uuid.startsWith('ec2') ? DEFAULT_IMDS_ENDPOINT : undefined;
}

const CHILD = `
const [base, paths, timeout] = JSON.parse(process.argv[1]);
const signal = () => AbortSignal.timeout(timeout);
(async () => {
  let token = '';
  try {
    const r = await fetch(base + '/latest/api/token', { method: 'PUT', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '60' }, signal: signal() });
    if (r.ok) token = await r.text();
  } catch (e) {
    process.stdout.write(JSON.stringify({ error: String(e && e.cause ? e.cause.message || e.cause : e) }));
    return;
  }
  const headers = token ? { 'X-aws-ec2-metadata-token': token } : {};
  const out = {};
  await Promise.all(paths.map(async (p) => {
    try {
      const r = await fetch(base + p, { headers, signal: signal() });
      out[p] = r.ok ? await r.text() : null;
    } catch { out[p] = null; }
  }));
  process.stdout.write(JSON.stringify({ values: out }));
})();
`;

/**
 * GETs metadata paths ("/latest/meta-data/instance-id") and returns path -> text (null when the
 * service has no such item), or an error message when the service cannot be reached.
 *
 * @example
 * imdsGet('http://169.254.169.254', ['/latest/meta-data/instance-id']);
 */
export function imdsGet(endpoint: string, paths: readonly string[], timeoutMs = 2000): { values: Record<string, string | null> } | { error: string } {
  const r = spawnSync(process.execPath, ['--input-type=commonjs', '-e', CHILD, JSON.stringify([endpoint, paths, timeoutMs])], {
    encoding: 'utf8',
    timeout: timeoutMs * 3 + 5000,
  });
  if (r.error || r.status !== 0) return { error: r.error?.message ?? (r.stderr.trim() || `exit ${r.status}`) };
  try {
    return JSON.parse(r.stdout) as { values: Record<string, string | null> } | { error: string };
  } catch {
    return { error: 'no answer' };
  }
}
