/** ec2_instance_metadata: this EC2 instance's identity from the instance metadata service (IMDSv2). */
import { imdsEndpoint, imdsGet } from '../common/ec2-imds.js';
import type { QueryContext, Row, TableImpl } from '../../types.js';

const MD = '/latest/meta-data/';
export const EC2_METADATA_PATHS = [
  `${MD}instance-id`, `${MD}instance-type`, `${MD}local-hostname`, `${MD}local-ipv4`, `${MD}mac`, `${MD}security-groups`,
  `${MD}iam/info`, `${MD}ami-id`, `${MD}reservation-id`, `${MD}public-keys/0/openssh-key`, '/latest/dynamic/instance-identity/document',
];

/** The row for the service's answers (path -> text). */
export function ec2MetadataRow(v: Record<string, string | null>): Row {
  const get = (p: string) => (v[`${MD}${p}`] ?? '').trim();
  let doc: Record<string, unknown> = {};
  try {
    doc = JSON.parse(v['/latest/dynamic/instance-identity/document'] ?? '{}') as Record<string, unknown>;
  } catch {
    doc = {};
  }
  let iamArn = '';
  try {
    const arn = (JSON.parse(v[`${MD}iam/info`] ?? '{}') as { InstanceProfileArn?: unknown }).InstanceProfileArn;
    iamArn = typeof arn === 'string' ? arn : '';
  } catch {
    iamArn = '';
  }
  const str = (x: unknown) => (typeof x === 'string' ? x : '');
  return {
    instance_id: get('instance-id'),
    instance_type: get('instance-type'),
    architecture: str(doc.architecture),
    region: str(doc.region),
    availability_zone: str(doc.availabilityZone),
    local_hostname: get('local-hostname'),
    local_ipv4: get('local-ipv4'),
    mac: get('mac'),
    security_groups: get('security-groups').split('\n').filter(Boolean).join(','),
    iam_arn: iamArn,
    ami_id: get('ami-id'),
    reservation_id: get('reservation-id'),
    account_id: str(doc.accountId),
    ssh_public_key: get('public-keys/0/openssh-key'),
  };
}

/** Generator for osquery's `ec2_instance_metadata` table. */
export const ec2InstanceMetadata: TableImpl = {
  name: 'ec2_instance_metadata',
  *generate(ctx: QueryContext) {
    const endpoint = imdsEndpoint();
    if (endpoint === undefined) return;
    const r = imdsGet(endpoint, EC2_METADATA_PATHS);
    if ('error' in r) {
      ctx.warn(`ec2_instance_metadata: the instance metadata service at ${endpoint} did not answer: ${r.error}`);
      return;
    }
    if (!r.values[`${MD}instance-id`]) return;
    yield ec2MetadataRow(r.values);
  },
};
