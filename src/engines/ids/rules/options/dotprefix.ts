/** `dotprefix;` (Suricata) — transform: prepend "." to the current sticky buffer, so `.example.com` anchors domain labels. */
import { err, ok } from '../../../../core/result.js';
import { defineOption } from './types.js';

export const dotprefix = defineOption<null>({
  name: 'dotprefix',
  kind: 'buffer',
  help: 'prepend a dot to the current buffer (for domain-suffix matching with endswith)',
  params: [],
  parse: (args) => (args === undefined || args.trim() === '' ? ok(null) : err('dotprefix takes no argument')),
  key: () => '',
  apply(_c, b) {
    if (b.stickyBuffer === undefined) return 'dotprefix must follow a sticky buffer such as dns.query';
    b.stickyTransform = 'dotprefix';
    return undefined;
  },
});
