import type { Row, TableImpl } from '../../types.js';
import { readOptionalText, splitTrimmed, tokens } from '../common/text-table.js';

/**
 * Parses services(5) text like osquery: "name port/protocol [aliases...] [# comment]".
 *
 * @example
 * parseEtcServices('ssh 22/tcp # SSH Remote Login Protocol\n')[0] // { name: 'ssh', port: 22, protocol: 'tcp', aliases: '', comment: 'SSH Remote Login Protocol' }
 */
export function parseEtcServices(text: string): Row[] {
  const out: Row[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const parts = splitTrimmed(line, '#');
    if (parts.length === 0 || line.trimStart().startsWith('#')) continue;
    const info = tokens(parts[0]!);
    if (info.length < 2) continue;
    const portProto = splitTrimmed(info[1]!, '/');
    if (portProto.length !== 2) continue;
    const port = Number.parseInt(portProto[0]!, 10);
    out.push({
      name: info[0]!,
      port: Number.isFinite(port) ? port : null,
      protocol: portProto[1]!,
      aliases: info.slice(2).join(' '),
      comment: parts.length > 1 ? parts.slice(1).join(' # ') : null,
    });
  }
  return out;
}

/**
 * `etc_services`: network services from /etc/services.
 *
 * @example
 * const ssh = [...etcServices.generate(createTestContext())].find((r) => r.name === 'ssh');
 */
export const etcServices: TableImpl = {
  name: 'etc_services',
  *generate(ctx) {
    const text = readOptionalText('/etc/services', ctx, 'etc_services');
    if (text !== undefined) yield* parseEtcServices(text);
  },
};
