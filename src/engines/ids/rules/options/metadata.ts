/** `metadata:key value, key value` — free-form rule metadata (policy, created_at, ruleset...). */
import { err, ok } from '../../../../core/result.js';
import { keptString } from './search.js';
import { defineOption } from './types.js';

export const metadata = defineOption<readonly (readonly [string, string])[]>({
  name: 'metadata',
  kind: 'meta',
  help: 'key/value metadata, comma-separated "key value" pairs',
  params: [{ name: 'pairs', type: 'list', help: 'key value[, key value...]' }],
  parse(args) {
    if (args === undefined || args.trim() === '') return err('metadata needs key value pairs');
    const out: [string, string][] = [];
    for (const part of args.split(',')) {
      const t = part.trim();
      if (t === '') continue;
      const sp = t.search(/\s/);
      // Shared and detached: ET repeats the same pairs in every rule, and slices would keep the rule file.
      out.push(sp < 0 ? [keptString(t), ''] : [keptString(t.slice(0, sp)), keptString(t.slice(sp + 1).trim())]);
    }
    return out.length ? ok(out) : err('metadata needs key value pairs');
  },
  key: (p) => p.map(([k, v]) => `${k} ${v}`).join(','),
  apply(pairs, b) {
    for (const [k, v] of pairs) {
      const list = b.metadata.get(k);
      if (list) list.push(v);
      else b.metadata.set(k, [v]);
    }
    return undefined;
  },
});
