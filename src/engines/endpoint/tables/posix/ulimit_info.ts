/**
 * ulimit_info: the resource limits of the process answering the query (osquery reports its own
 * getrlimit values), from /proc/self/limits.
 */
import { readTextOr } from '../common/sysfs.js';
import type { QueryContext, Row, TableImpl } from '../../types.js';

/** /proc/<pid>/limits names -> osquery's short type names (those of ulimit(1) / RLIMIT_*). */
const TYPES: Record<string, string> = {
  'Max cpu time': 'cpu',
  'Max file size': 'fsize',
  'Max data size': 'data',
  'Max stack size': 'stack',
  'Max core file size': 'core',
  'Max resident set': 'rss',
  'Max processes': 'nproc',
  'Max open files': 'nofile',
  'Max locked memory': 'memlock',
  'Max address space': 'as',
  'Max file locks': 'locks',
  'Max pending signals': 'sigpending',
  'Max msgqueue size': 'msgqueue',
  'Max nice priority': 'nice',
  'Max realtime priority': 'rtprio',
  'Max realtime timeout': 'rttime',
};

/**
 * Parses a /proc/<pid>/limits file into osquery rows, sorted by type as osquery lists them.
 *
 * @example
 * parseLimits(readFileSync('/proc/self/limits', 'utf8'));
 */
export function parseLimits(text: string): Row[] {
  const rows: Row[] = [];
  for (const line of text.split('\n').slice(1)) {
    const m = /^(Max [a-z ]+?)\s{2,}(\S+)\s+(\S+)/.exec(line);
    if (!m) continue;
    const type = TYPES[m[1]];
    if (type !== undefined) rows.push({ type, soft_limit: m[2], hard_limit: m[3] });
  }
  return rows.sort((a, b) => (String(a.type) < String(b.type) ? -1 : 1));
}

/** Generator for osquery's `ulimit_info` table. */
export const ulimitInfo: TableImpl = {
  name: 'ulimit_info',
  generate(ctx: QueryContext) {
    const text = readTextOr('/proc/self/limits');
    if (text === undefined) {
      ctx.warn('ulimit_info: cannot read /proc/self/limits');
      return [];
    }
    return parseLimits(text);
  },
};
