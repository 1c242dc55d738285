/** `sip_method:invite,cancel` (Snort 3) — the SIP request method (from the `sip_method` buffer the SIP inspector fills) is one of these. */
import { err, ok } from '../../../../core/result.js';
import { defineOption } from './types.js';

export const sipMethod = defineOption<{ readonly methods: readonly string[] }>({
  name: 'sip_method',
  kind: 'match',
  requires: 'sip_method',
  help: 'match SIP requests whose method is in the list (case-insensitive)',
  params: [{ name: 'methods', type: 'list', help: 'comma-separated method names' }],
  parse(args) {
    const methods = (args ?? '').split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
    if (methods.length === 0 || methods.some((x) => !/^[A-Z_-]+$/.test(x))) return err('sip_method needs method names');
    return ok({ methods });
  },
  key: (c) => c.methods.join(','),
  eval(c, m) {
    const b = m.buffers.get('sip_method');
    return b !== undefined && c.methods.includes(Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1').toUpperCase());
  },
});
