/**
 * ec2_instance_tags: this EC2 instance's tags, from the instance metadata service (the instance
 * must allow tags in metadata; otherwise the service has none to give and the table is empty).
 */
import { imdsEndpoint, imdsGet } from '../common/ec2-imds.js';
import type { Row, TableImpl } from '../../types.js';

const TAGS = '/latest/meta-data/tags/instance';

/** Generator for osquery's `ec2_instance_tags` table. */
export const ec2InstanceTags: TableImpl = {
  name: 'ec2_instance_tags',
  *generate(ctx) {
    const endpoint = imdsEndpoint();
    if (endpoint === undefined) return;
    const first = imdsGet(endpoint, ['/latest/meta-data/instance-id', TAGS]);
    if ('error' in first) {
      ctx.warn(`ec2_instance_tags: the instance metadata service at ${endpoint} did not answer: ${first.error}`);
      return;
    }
    const id = (first.values['/latest/meta-data/instance-id'] ?? '').trim();
    const keys = (first.values[TAGS] ?? '').split('\n').map((k) => k.trim()).filter(Boolean);
    if (id === '' || keys.length === 0) return;
    const values = imdsGet(endpoint, keys.map((k) => `${TAGS}/${encodeURIComponent(k)}`));
    if ('error' in values) {
      ctx.warn(`ec2_instance_tags: reading tag values failed: ${values.error}`);
      return;
    }
    for (const key of keys) {
      const value = values.values[`${TAGS}/${encodeURIComponent(key)}`];
      if (value !== null && value !== undefined) yield { instance_id: id, key, value } satisfies Row;
    }
  },
};
