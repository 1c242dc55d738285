/** `target:src_ip|dest_ip` (Suricata) — which side is the target, for logging; no effect on matching. */
import { err, ok } from '../../../../core/result.js';
import { defineOption } from './types.js';

export const target = defineOption<string>({
  name: 'target',
  kind: 'meta',
  help: 'which address is the target of the attack (logging only)',
  params: [{ name: 'side', type: 'enum', help: 'target side', values: ['src_ip', 'dest_ip'] }],
  parse(args) {
    const t = args?.trim();
    return t === 'src_ip' || t === 'dest_ip' ? ok(t) : err('target takes src_ip or dest_ip');
  },
  key: (s) => s,
  apply(s, b) {
    b.metadata.set('target', [s]);
    return undefined;
  },
});
