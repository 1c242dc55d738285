import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imdsEndpoint } from '../common/ec2-imds.js';
import { collectRows } from '../common/test-context.js';
import { startImdsServer } from '../common/testdata/imds-server.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { ec2InstanceMetadata } from './ec2_instance_metadata.js';

const onEc2 = (() => {
  const saved = process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
  delete process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
  const found = imdsEndpoint() !== undefined;
  if (saved !== undefined) process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = saved;
  return found;
})();

describe('ec2_instance_metadata', () => {
  it.skipIf(onEc2)('asks no service and yields nothing off EC2', () => {
    const saved = process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
    delete process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
    try {
      expect(collectRows(ec2InstanceMetadata)).toEqual([]);
    } finally {
      if (saved !== undefined) process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = saved;
    }
  });

  describe('against an IMDSv2 endpoint (protocol test)', () => {
    let server: { stop(): Promise<void> };
    beforeAll(async () => {
      server = await startImdsServer();
    });
    afterAll(async () => {
      await server.stop();
    });

    it('reads the identity with a session token', () => {
      const rows = collectRows(ec2InstanceMetadata);
      expect(rows).toEqual([
        {
          instance_id: 'i-0123456789abcdef0', instance_type: 't3.micro', architecture: 'x86_64', region: 'eu-west-1', availability_zone: 'eu-west-1a',
          local_hostname: 'ip-10-0-0-12.eu-west-1.compute.internal', local_ipv4: '10.0.0.12', mac: '06:1d:9f:aa:bb:cc', security_groups: 'default,web',
          iam_arn: 'arn:aws:iam::123456789012:instance-profile/web', ami_id: 'ami-0abcdef1234567890', reservation_id: 'r-0fedcba9876543210',
          account_id: '123456789012', ssh_public_key: 'ssh-ed25519 AAAAC3Nz test@example',
        },
      ]);
      if (!schemaMissing) expect(columnMismatch('ec2_instance_metadata', rows[0])).toBe('');
    });
  });
});
