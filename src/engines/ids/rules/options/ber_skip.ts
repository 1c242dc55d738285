/** `ber_skip:type[,optional]` (Snort 3) — skip the BER element of this type at the cursor; with optional, a different type is not a failure. */
import { err, ok } from '../../../../core/result.js';
import { readBer } from './ber.js';
import { defineOption } from './types.js';
import { parseIntArg, splitArgs } from './util.js';

export const berSkip = defineOption<{ readonly type: number; readonly optional: boolean }>({
  name: 'ber_skip',
  kind: 'match',
  help: 'move the cursor past the BER element of the given type at the cursor',
  params: [
    { name: 'type', type: 'int', help: 'BER tag byte, 0-255' },
    { name: 'optional', type: 'flag', help: 'match even when the element has another type (cursor unchanged)' },
  ],
  usesBuffer: true,
  parse(args) {
    const a = splitArgs(args ?? '');
    const n = parseIntArg(a[0], 0, 255);
    if (n === undefined) return err(`ber_skip needs a tag 0-255, not ${JSON.stringify(a[0] ?? '')}`);
    if (a.length > 2 || (a[1] !== undefined && a[1] !== 'optional')) return err('ber_skip takes a type and optionally "optional"');
    return ok({ type: n, optional: a[1] === 'optional' });
  },
  key: (c) => `${c.type},${c.optional}`,
  eval(c, m) {
    const e = readBer(m.buf, m.cursor);
    if (!e || e.tag !== c.type) return c.optional && e !== undefined;
    if (e.data + e.length > m.buf.length) return false;
    m.cursor = e.data + e.length;
    return true;
  },
});
