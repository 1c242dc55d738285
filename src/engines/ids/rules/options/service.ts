/** `service:http,ssl` — application services the rule applies to (Snort 3); detection may use them to pick rules. */
import { err, ok } from '../../../../core/result.js';
import { defineOption } from './types.js';

export const service = defineOption<readonly string[]>({
  name: 'service',
  kind: 'meta',
  help: 'services the rule is about (http, ssl, dns, smtp...)',
  params: [{ name: 'services', type: 'list', help: 'comma-separated service names' }],
  parse(args) {
    const names = (args ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (names.length === 0) return err('service needs at least one name');
    for (const n of names) if (!/^[\w.-]+$/.test(n)) return err(`bad service name ${JSON.stringify(n)}`);
    return ok(names);
  },
  key: (s) => s.join(','),
  apply(s, b) {
    b.services.push(...s);
    return undefined;
  },
});
