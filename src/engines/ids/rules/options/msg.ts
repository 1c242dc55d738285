/** `msg:"text"` — the alert message (escapes \" \; \\ are decoded). */
import { err, ok } from '../../../../core/result.js';
import { detached } from './search.js';
import { defineOption } from './types.js';

export const msg = defineOption<string>({
  name: 'msg',
  kind: 'meta',
  help: 'the message printed with alerts',
  params: [{ name: 'text', type: 'string', help: 'quoted message' }],
  parse(args) {
    const t = args?.trim();
    if (t === undefined || t.length < 2 || !t.startsWith('"') || !t.endsWith('"')) return err('msg needs a quoted string');
    // Detached: a slice of the rule text would keep the whole rule file in memory.
    return ok(detached(t.slice(1, -1).replace(/\\(.)/g, '$1')));
  },
  key: (s) => s,
  apply(s, b) {
    b.msg = s;
    return undefined;
  },
});
