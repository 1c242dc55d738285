/** `gid:N` — the generator id (1 for text rules). */
import { err, ok } from '../../../../core/result.js';
import { defineOption } from './types.js';
import { parseIntArg } from './util.js';

export const gid = defineOption<number>({
  name: 'gid',
  kind: 'meta',
  help: 'the generator id (1 for text rules)',
  params: [{ name: 'value', type: 'int', help: '1..4294967295' }],
  parse(args) {
    const n = parseIntArg(args, 1, 4294967295);
    return n === undefined ? err(`gid needs an integer 1..4294967295, not ${JSON.stringify(args ?? '')}`) : ok(n);
  },
  key: String,
  apply(n, b) {
    if (b.gid !== undefined) return 'gid given twice';
    b.gid = n;
    return undefined;
  },
});
