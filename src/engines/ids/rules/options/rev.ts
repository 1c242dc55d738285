/** `rev:N` — the rule revision. */
import { err, ok } from '../../../../core/result.js';
import { defineOption } from './types.js';
import { parseIntArg } from './util.js';

export const rev = defineOption<number>({
  name: 'rev',
  kind: 'meta',
  help: 'the rule revision',
  params: [{ name: 'value', type: 'int', help: '0..4294967295' }],
  parse(args) {
    const n = parseIntArg(args, 0, 4294967295);
    return n === undefined ? err(`rev needs an integer 0..4294967295, not ${JSON.stringify(args ?? '')}`) : ok(n);
  },
  key: String,
  apply(n, b) {
    if (b.rev !== undefined) return 'rev given twice';
    b.rev = n;
    return undefined;
  },
});
