/** `reference:system,id` — an external reference (cve, url, bugtraq...). */
import { err, ok } from '../../../../core/result.js';
import type { RuleReference } from '../types.js';
import { detached, keptString } from './search.js';
import { defineOption } from './types.js';

/** Reference systems seen, so that 35,000 ET references hold a handful of system strings, not one each. */
const SYSTEMS = new Map<string, string>();

function systemName(text: string): string {
  const known = SYSTEMS.get(text);
  if (known !== undefined) return known;
  const kept = detached(text);
  if (SYSTEMS.size < 256) SYSTEMS.set(kept, kept);
  return kept;
}

export const reference = defineOption<RuleReference>({
  name: 'reference',
  kind: 'meta',
  help: 'an external reference for the rule: system,id',
  params: [
    { name: 'system', type: 'string', help: 'cve, url, bugtraq, nessus, md5...' },
    { name: 'id', type: 'string', help: 'identifier in that system' },
  ],
  parse(args) {
    const t = args?.trim() ?? '';
    const comma = t.indexOf(',');
    if (comma <= 0 || comma === t.length - 1) return err('reference needs system,id');
    const system = t.slice(0, comma).trim();
    if (!/^[\w.-]+$/.test(system)) return err(`bad reference system ${JSON.stringify(system)}`);
    return ok({ system: systemName(system), id: keptString(t.slice(comma + 1).trim()) });
  },
  key: (r) => `${r.system},${r.id}`,
  apply(r, b) {
    b.references.push(r);
    return undefined;
  },
});
