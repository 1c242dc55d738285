import type { Row, TableImpl } from '../../types.js';
import { readOptionalText, splitTrimmed, tokens } from '../common/text-table.js';

/**
 * Parses protocols(5) text like osquery: "name number [alias] [# comment]" (only the first alias is kept,
 * as in osquery's schema).
 *
 * @example
 * parseEtcProtocols('tcp 6 TCP # transmission control protocol\n')[0] // { name: 'tcp', number: 6, alias: 'TCP', comment: 'transmission control protocol' }
 */
export function parseEtcProtocols(text: string): Row[] {
  const out: Row[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const parts = splitTrimmed(line, '#');
    if (parts.length === 0 || line.trimStart().startsWith('#')) continue;
    const f = tokens(parts[0]!);
    if (f.length < 2) continue;
    const n = Number.parseInt(f[1]!, 10);
    out.push({
      name: f[0]!,
      number: Number.isFinite(n) ? n : null,
      alias: f.length > 2 ? f[2]! : null,
      comment: parts.length > 1 ? parts.slice(1).join(' # ') : null,
    });
  }
  return out;
}

/**
 * `etc_protocols`: IP protocol numbers from /etc/protocols.
 *
 * @example
 * const tcp = [...etcProtocols.generate(createTestContext())].find((r) => r.name === 'tcp');
 */
export const etcProtocols: TableImpl = {
  name: 'etc_protocols',
  *generate(ctx) {
    const text = readOptionalText('/etc/protocols', ctx, 'etc_protocols');
    if (text !== undefined) yield* parseEtcProtocols(text);
  },
};
