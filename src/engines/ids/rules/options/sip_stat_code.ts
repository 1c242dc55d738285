/**
 * `sip_stat_code:200,4` (Snort 3) — the SIP response status (from the `sip_stat_code` buffer the SIP inspector
 * fills) is one of these; a single digit N matches the whole class Nxx.
 */
import { err, ok } from '../../../../core/result.js';
import { defineOption } from './types.js';

export const sipStatCode = defineOption<{ readonly codes: readonly number[] }>({
  name: 'sip_stat_code',
  kind: 'match',
  requires: 'sip_stat_code',
  help: 'match SIP responses whose status code is in the list (a single digit means its class)',
  params: [{ name: 'codes', type: 'list', help: 'comma-separated codes (100-999) or classes (1-9)' }],
  parse(args) {
    const codes: number[] = [];
    for (const p of (args ?? '').split(',')) {
      const t = p.trim();
      if (!/^(?:[1-9]|[1-9]\d\d)$/.test(t)) return err(`bad sip_stat_code ${JSON.stringify(t)}`);
      codes.push(Number(t));
    }
    return ok({ codes });
  },
  key: (c) => c.codes.join(','),
  eval(c, m) {
    const b = m.buffers.get('sip_stat_code');
    if (!b) return false;
    const code = Number(Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1'));
    return c.codes.some((x) => (x < 10 ? Math.floor(code / 100) === x : code === x));
  },
});
