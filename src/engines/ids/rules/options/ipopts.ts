/** `ipopts` — an IPv4 option is present: rr, eol, nop, ts, sec, esec, lsrr, lsrre, ssrr, satid, any. */
import { err, ok } from '../../../../core/result.js';
import { defineOption } from './types.js';

const CODES: Readonly<Record<string, number>> = { eol: 0, nop: 1, rr: 7, ts: 68, sec: 130, lsrr: 131, lsrre: 131, esec: 133, satid: 136, ssrr: 137 };

export const ipopts = defineOption<{ readonly code: number }>({
  name: 'ipopts',
  kind: 'match',
  help: 'match when the IPv4 header carries the given option (or any option)',
  params: [{ name: 'option', type: 'enum', help: 'option name', values: [...Object.keys(CODES), 'any'] }],
  parse(args) {
    const t = args?.trim().toLowerCase();
    if (t === 'any') return ok({ code: -1 });
    const code = t === undefined ? undefined : CODES[t];
    return code === undefined ? err(`unknown IP option ${JSON.stringify(args ?? '')}`) : ok({ code });
  },
  key: (c) => String(c.code),
  eval(c, m) {
    const ip = m.pkt.ip;
    if (ip?.version !== 4) return false;
    return c.code < 0 ? ip.options.length > 0 : ip.options.includes(c.code);
  },
});
