import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../common/test-context.js';
import { startAzureImdsServer } from '../common/testdata/azure-imds-server.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { azureTagRows, azureTagRowsFrom } from './azure_instance_tags.js';

let server: { endpoint: string; stop(): Promise<void> };
beforeAll(async () => {
  server = await startAzureImdsServer();
});
afterAll(async () => {
  await server.stop();
});

describe('azure_instance_tags', () => {
  it('reads the tags from an Azure-shaped metadata service (protocol test)', () => {
    const rows = [...azureTagRowsFrom(server.endpoint, createTestContext())];
    expect(rows).toEqual([
      { vm_id: '02aab8a4-74ef-476e-8182-f6d2ba4166a6', key: 'env', value: 'prod' },
      { vm_id: '02aab8a4-74ef-476e-8182-f6d2ba4166a6', key: 'team', value: 'web' },
    ]);
    if (!schemaMissing) expect(columnMismatch('azure_instance_tags', rows[0])).toBe('');
  });

  it('falls back to the older tags string', () => {
    expect(azureTagRows({ vmId: 'v', tags: 'a:1;b:x:y' })).toEqual([
      { vm_id: 'v', key: 'a', value: '1' },
      { vm_id: 'v', key: 'b', value: 'x:y' },
    ]);
  });

  it('warns when the service does not answer', () => {
    const ctx = createTestContext();
    expect([...azureTagRowsFrom('http://127.0.0.1:1', ctx)]).toEqual([]);
    expect(ctx.warnings).toHaveLength(1);
  });
});
