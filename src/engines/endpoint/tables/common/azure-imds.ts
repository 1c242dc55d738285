/**
 * Azure's instance metadata service, read synchronously through a short-lived Node child process.
 * It is only asked on Azure VMs (the chassis asset tag Azure sets on every VM), so other machines
 * pay no network timeout.
 */
import { spawnSync } from 'node:child_process';
import { readTextOr } from './sysfs.js';

export const AZURE_IMDS_ENDPOINT = 'http://169.254.169.254';
/** The chassis asset tag Hyper-V sets on every Azure VM. */
const AZURE_ASSET_TAG = '7783-7084-3265-9085-8269-3286-77';

/** Whether this machine is an Azure VM. */
export function onAzure(): boolean {
  return (readTextOr('/sys/class/dmi/id/chassis_asset_tag') ?? '').trim() === AZURE_ASSET_TAG;
}

const CHILD = `
const [url, timeout] = JSON.parse(process.argv[1]);
fetch(url, { headers: { Metadata: 'true' }, signal: AbortSignal.timeout(timeout) })
  .then(async (r) => process.stdout.write(JSON.stringify(r.ok ? { body: await r.text() } : { error: 'HTTP ' + r.status })))
  .catch((e) => process.stdout.write(JSON.stringify({ error: String(e && e.cause ? e.cause.message || e.cause : e) })));
`;

/**
 * The `compute` section of the instance metadata at `endpoint`, or an error message.
 *
 * @example
 * azureCompute('http://169.254.169.254');
 */
export function azureCompute(endpoint: string, timeoutMs = 2000): { compute: Record<string, unknown> } | { error: string } {
  const url = `${endpoint.replace(/\/+$/, '')}/metadata/instance?api-version=2021-02-01`;
  const r = spawnSync(process.execPath, ['--input-type=commonjs', '-e', CHILD, JSON.stringify([url, timeoutMs])], { encoding: 'utf8', timeout: timeoutMs + 5000 });
  if (r.error || r.status !== 0) return { error: r.error?.message ?? (r.stderr.trim() || `exit ${r.status}`) };
  try {
    const o = JSON.parse(r.stdout) as { body?: string; error?: string };
    if (o.body === undefined) return { error: o.error ?? 'no answer' };
    const doc = JSON.parse(o.body) as { compute?: unknown };
    return typeof doc.compute === 'object' && doc.compute !== null ? { compute: doc.compute as Record<string, unknown> } : { error: 'no compute section' };
  } catch {
    return { error: 'the answer is not JSON' };
  }
}
