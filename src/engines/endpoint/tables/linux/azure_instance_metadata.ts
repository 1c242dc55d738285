/** azure_instance_metadata: this Azure VM's identity and placement from the instance metadata service. */
import { AZURE_IMDS_ENDPOINT, azureCompute, onAzure } from '../common/azure-imds.js';
import type { QueryContext, Row, TableImpl } from '../../types.js';

/** The row for the metadata's `compute` section. */
export function azureMetadataRow(c: Record<string, unknown>): Row {
  const s = (k: string) => (typeof c[k] === 'string' ? (c[k] as string) : '');
  return {
    location: s('location'), name: s('name'), offer: s('offer'), publisher: s('publisher'), sku: s('sku'), version: s('version'),
    os_type: s('osType'), platform_update_domain: s('platformUpdateDomain'), platform_fault_domain: s('platformFaultDomain'),
    vm_id: s('vmId'), vm_size: s('vmSize'), subscription_id: s('subscriptionId'), resource_group_name: s('resourceGroupName'),
    placement_group_id: s('placementGroupId'), vm_scale_set_name: s('vmScaleSetName'), zone: s('zone'),
  };
}

/** Rows from the service at `endpoint` (the table uses Azure's; tests give a local one). */
export function* azureMetadataRows(endpoint: string, ctx: QueryContext): Generator<Row> {
  const r = azureCompute(endpoint);
  if ('error' in r) {
    ctx.warn(`azure_instance_metadata: the instance metadata service did not answer: ${r.error}`);
    return;
  }
  yield azureMetadataRow(r.compute);
}

/** Generator for osquery's `azure_instance_metadata` table. */
export const azureInstanceMetadata: TableImpl = {
  name: 'azure_instance_metadata',
  generate: (ctx) => (onAzure() ? azureMetadataRows(AZURE_IMDS_ENDPOINT, ctx) : []),
};
