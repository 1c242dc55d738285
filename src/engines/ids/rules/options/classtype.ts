/** `classtype:name` — the attack class (classification.config), which sets the default priority. */
import { err, ok } from '../../../../core/result.js';
import { defineOption } from './types.js';

export const classtype = defineOption<string>({
  name: 'classtype',
  kind: 'meta',
  help: 'classification of the attack (from classification.config); sets the default priority',
  params: [{ name: 'name', type: 'string', help: 'classtype name' }],
  parse(args) {
    const t = args?.trim();
    return t && /^[\w-]+$/.test(t) ? ok(t) : err(`bad classtype ${JSON.stringify(args ?? '')}`);
  },
  key: (s) => s,
  apply(s, b) {
    b.classtype = s;
    return undefined;
  },
});
