/** `noalert` (Suricata) — the rule never alerts (used with flowbits:set). */
import { err, ok } from '../../../../core/result.js';
import { defineOption } from './types.js';

export const noalert = defineOption<null>({
  name: 'noalert',
  kind: 'meta',
  help: 'never alert on this rule (it only sets flowbits)',
  params: [],
  parse: (args) => (args === undefined || args.trim() === '' ? ok(null) : err('noalert takes no argument')),
  key: () => '',
  apply(_c, b) {
    b.noalert = true;
    return undefined;
  },
});
