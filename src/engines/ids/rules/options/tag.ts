/**
 * `tag:session|host, count, packets|seconds|bytes[, src|dst]` (Snort 2) or `tag:session, packets 10` (Snort 3)
 * — log the following packets of the session or host. Parsed here; applied by the detect/log stages.
 */
import { err, ok } from '../../../../core/result.js';
import type { TagConfig } from '../types.js';
import { defineOption } from './types.js';
import { parseIntArg } from './util.js';

const METRICS = ['packets', 'seconds', 'bytes'] as const;

export const tag = defineOption<TagConfig>({
  name: 'tag',
  kind: 'meta',
  help: 'tag (log) further packets of the session or host after an alert',
  params: [
    { name: 'type', type: 'enum', help: 'what to tag', values: ['session', 'host'] },
    { name: 'count', type: 'int', help: 'how many' },
    { name: 'metric', type: 'enum', help: 'unit', values: [...METRICS] },
    { name: 'direction', type: 'enum', help: 'host tags: which address', values: ['src', 'dst'] },
  ],
  parse(args) {
    const a = (args ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const type = a[0];
    if (type !== 'session' && type !== 'host') return err('tag type must be session or host');
    let count: number | undefined;
    let metric: TagConfig['metric'] | undefined;
    let direction: TagConfig['direction'];
    for (const item of a.slice(1)) {
      const [w, v] = item.split(/\s+/, 2) as [string, string | undefined];
      if ((METRICS as readonly string[]).includes(w) && v !== undefined) {
        count = parseIntArg(v, 1, 0x7fffffff);
        metric = w as TagConfig['metric'];
        if (count === undefined) return err(`bad tag count ${JSON.stringify(v)}`);
      } else if ((METRICS as readonly string[]).includes(w)) metric = w as TagConfig['metric'];
      else if (w === 'src' || w === 'dst') direction = w;
      else if (parseIntArg(w, 1, 0x7fffffff) !== undefined && v === undefined) count = parseIntArg(w, 1, 0x7fffffff);
      else return err(`bad tag item ${JSON.stringify(item)}`);
    }
    if (count === undefined || metric === undefined) return err('tag needs a count and a metric (packets, seconds or bytes)');
    return ok({ type, count, metric, direction });
  },
  key: (t) => `${t.type},${t.count},${t.metric},${t.direction ?? ''}`,
  apply(t, b) {
    b.tag = t;
    return undefined;
  },
});
