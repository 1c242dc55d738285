import type { Row, TableImpl } from '../../types.js';
import { readOptionalText, tokens } from '../common/text-table.js';

/**
 * Parses hosts(5) text like osquery: the first token is the address, the following ones up to a comment
 * are the hostnames, joined by one space.
 *
 * @example
 * parseEtcHosts('127.0.0.1 localhost loopback # me\n') // [{ address: '127.0.0.1', hostnames: 'localhost loopback', pid_with_namespace: 0 }]
 */
export function parseEtcHosts(text: string): Row[] {
  const out: Row[] = [];
  for (const line of text.split('\n')) {
    const t = tokens(line);
    if (t.length === 0 || t[0]!.startsWith('#')) continue;
    const names: string[] = [];
    for (const name of t.slice(1)) {
      if (name.startsWith('#')) break;
      names.push(name);
    }
    out.push({ address: t[0]!, hostnames: t.length > 1 ? names.join(' ') : null, pid_with_namespace: 0 });
  }
  return out;
}

/**
 * `etc_hosts`: the static host table from /etc/hosts.
 *
 * @example
 * const rows = [...etcHosts.generate(createTestContext())];
 */
export const etcHosts: TableImpl = {
  name: 'etc_hosts',
  *generate(ctx) {
    const text = readOptionalText('/etc/hosts', ctx, 'etc_hosts');
    if (text !== undefined) yield* parseEtcHosts(text);
  },
};
