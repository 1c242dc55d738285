/** `ber_data:type` (Snort 3) — the BER element at the cursor must have this tag; move the cursor to its data. */
import { err, ok } from '../../../../core/result.js';
import { readBer } from './ber.js';
import { defineOption } from './types.js';
import { parseIntArg } from './util.js';

export const berData = defineOption<{ readonly type: number }>({
  name: 'ber_data',
  kind: 'match',
  help: 'move the cursor into the data of the BER element of the given type at the cursor',
  params: [{ name: 'type', type: 'int', help: 'BER tag byte, 0-255' }],
  usesBuffer: true,
  parse(args) {
    const n = parseIntArg(args, 0, 255);
    return n === undefined ? err(`ber_data needs a tag 0-255, not ${JSON.stringify(args ?? '')}`) : ok({ type: n });
  },
  key: (c) => String(c.type),
  eval(c, m) {
    const e = readBer(m.buf, m.cursor);
    if (!e || e.tag !== c.type || e.data + e.length > m.buf.length) return false;
    m.cursor = e.data;
    return true;
  },
});
