/** `priority:N` — alert priority (overrides the classtype priority; 1 is highest). */
import { err, ok } from '../../../../core/result.js';
import { defineOption } from './types.js';
import { parseIntArg } from './util.js';

export const priority = defineOption<number>({
  name: 'priority',
  kind: 'meta',
  help: 'alert priority (overrides the classtype priority; 1 is highest)',
  params: [{ name: 'value', type: 'int', help: '1..2147483647' }],
  parse(args) {
    const n = parseIntArg(args, 1, 2147483647);
    return n === undefined ? err(`priority needs an integer 1..2147483647, not ${JSON.stringify(args ?? '')}`) : ok(n);
  },
  key: String,
  apply(n, b) {
    if (b.priority !== undefined) return 'priority given twice';
    b.priority = n;
    return undefined;
  },
});
