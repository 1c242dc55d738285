/** azure_instance_tags: this Azure VM's tags from the instance metadata service. */
import { AZURE_IMDS_ENDPOINT, azureCompute, onAzure } from '../common/azure-imds.js';
import type { QueryContext, Row, TableImpl } from '../../types.js';

/** Rows for the metadata's `compute` section: its tagsList, or the older "k:v;k:v" tags string. */
export function azureTagRows(c: Record<string, unknown>): Row[] {
  const vmId = typeof c.vmId === 'string' ? c.vmId : '';
  if (Array.isArray(c.tagsList)) {
    return c.tagsList
      .filter((t): t is Record<string, unknown> => typeof t === 'object' && t !== null)
      .map((t) => ({ vm_id: vmId, key: typeof t.name === 'string' ? t.name : '', value: typeof t.value === 'string' ? t.value : '' }));
  }
  if (typeof c.tags !== 'string' || c.tags === '') return [];
  return c.tags.split(';').map((pair) => {
    const i = pair.indexOf(':');
    return { vm_id: vmId, key: i < 0 ? pair : pair.slice(0, i), value: i < 0 ? '' : pair.slice(i + 1) };
  });
}

/** Rows from the service at `endpoint` (the table uses Azure's; tests give a local one). */
export function* azureTagRowsFrom(endpoint: string, ctx: QueryContext): Generator<Row> {
  const r = azureCompute(endpoint);
  if ('error' in r) {
    ctx.warn(`azure_instance_tags: the instance metadata service did not answer: ${r.error}`);
    return;
  }
  yield* azureTagRows(r.compute);
}

/** Generator for osquery's `azure_instance_tags` table. */
export const azureInstanceTags: TableImpl = {
  name: 'azure_instance_tags',
  generate: (ctx) => (onAzure() ? azureTagRowsFrom(AZURE_IMDS_ENDPOINT, ctx) : []),
};
