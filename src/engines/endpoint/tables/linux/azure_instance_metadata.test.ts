import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onAzure } from '../common/azure-imds.js';
import { collectRows, createTestContext } from '../common/test-context.js';
import { startAzureImdsServer } from '../common/testdata/azure-imds-server.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { azureInstanceMetadata, azureMetadataRows } from './azure_instance_metadata.js';

let server: { endpoint: string; stop(): Promise<void> };
beforeAll(async () => {
  server = await startAzureImdsServer();
});
afterAll(async () => {
  await server.stop();
});

describe('azure_instance_metadata', () => {
  it('reads the compute section from an Azure-shaped metadata service (protocol test)', () => {
    const rows = [...azureMetadataRows(server.endpoint, createTestContext())];
    expect(rows).toEqual([
      {
        location: 'westeurope', name: 'web-1', offer: '0001-com-ubuntu-server-jammy', publisher: 'canonical', sku: '22_04-lts-gen2', version: '22.04.202401010',
        os_type: 'Linux', platform_update_domain: '0', platform_fault_domain: '0', vm_id: '02aab8a4-74ef-476e-8182-f6d2ba4166a6', vm_size: 'Standard_B2s',
        subscription_id: '8d10da13-8125-4ba9-a717-bf7490507b3d', resource_group_name: 'rg-web', placement_group_id: '', vm_scale_set_name: '', zone: '1',
      },
    ]);
    if (!schemaMissing) expect(columnMismatch('azure_instance_metadata', rows[0])).toBe('');
  });

  it.skipIf(onAzure())('asks no service and yields nothing off Azure', () => {
    expect(collectRows(azureInstanceMetadata)).toEqual([]);
  });
});
