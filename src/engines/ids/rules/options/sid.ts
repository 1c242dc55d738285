/** `sid:N` — the signature id. */
import { err, ok } from '../../../../core/result.js';
import { defineOption } from './types.js';
import { parseIntArg } from './util.js';

export const sid = defineOption<number>({
  name: 'sid',
  kind: 'meta',
  help: 'the signature id',
  params: [{ name: 'value', type: 'int', help: '1..4294967295' }],
  parse(args) {
    const n = parseIntArg(args, 1, 4294967295);
    return n === undefined ? err(`sid needs an integer 1..4294967295, not ${JSON.stringify(args ?? '')}`) : ok(n);
  },
  key: String,
  apply(n, b) {
    if (b.sid !== undefined) return 'sid given twice';
    b.sid = n;
    return undefined;
  },
});
