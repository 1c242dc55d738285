import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectRows, createTestContext } from '../common/test-context.js';
import { startImdsServer } from '../common/testdata/imds-server.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { ec2InstanceTags } from './ec2_instance_tags.js';

let server: { stop(): Promise<void> };
beforeAll(async () => {
  server = await startImdsServer();
});
afterAll(async () => {
  await server.stop();
});

describe('ec2_instance_tags', () => {
  it('reads the instance tags from an IMDSv2 endpoint (protocol test)', () => {
    const rows = collectRows(ec2InstanceTags);
    expect(rows).toEqual([
      { instance_id: 'i-0123456789abcdef0', key: 'Name', value: 'web-1' },
      { instance_id: 'i-0123456789abcdef0', key: 'team', value: 'platform' },
    ]);
    if (!schemaMissing) expect(columnMismatch('ec2_instance_tags', rows[0])).toBe('');
  });

  it('warns when the configured endpoint does not answer', () => {
    const saved = process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
    process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = 'http://127.0.0.1:1';
    try {
      const ctx = createTestContext();
      expect([...ec2InstanceTags.generate(ctx)]).toEqual([]);
      expect(ctx.warnings).toHaveLength(1);
    } finally {
      process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = saved;
    }
  });
});
