/**
 * `threshold:type limit|threshold|both, track by_src|by_dst, count N, seconds N` — alert rate control
 * (applied by the detect stage per Snort's semantics). Also exports the shared parser used by detection_filter.
 */
import { err, ok, type Result } from '../../../../core/result.js';
import type { ThresholdConfig } from '../types.js';
import { defineOption } from './types.js';
import { parseIntArg } from './util.js';

/** Parses "key value" pairs separated by commas (order free). */
export function parsePairs(args: string | undefined, allowed: readonly string[]): Result<Map<string, string>> {
  if (args === undefined || args.trim() === '') return err(`needs ${allowed.join(', ')}`);
  const out = new Map<string, string>();
  for (const part of args.split(',')) {
    const m = /^\s*(\w+)\s+(\S+)\s*$/.exec(part);
    if (!m) return err(`bad item ${JSON.stringify(part.trim())}`);
    if (!allowed.includes(m[1]!)) return err(`unknown item ${JSON.stringify(m[1])}`);
    if (out.has(m[1]!)) return err(`${m[1]} given twice`);
    out.set(m[1]!, m[2]!);
  }
  return ok(out);
}

export function parseTrackCountSeconds(p: Map<string, string>): Result<{ track: 'by_src' | 'by_dst'; count: number; seconds: number }> {
  const track = p.get('track');
  if (track !== 'by_src' && track !== 'by_dst') return err('track must be by_src or by_dst');
  const count = parseIntArg(p.get('count'), 1, 0x7fffffff);
  if (count === undefined) return err('count needs a positive integer');
  const seconds = parseIntArg(p.get('seconds'), 0, 0x7fffffff);
  if (seconds === undefined) return err('seconds needs an integer');
  return ok({ track, count, seconds });
}

export const threshold = defineOption<ThresholdConfig>({
  name: 'threshold',
  kind: 'meta',
  help: 'limit alerts: limit (first N per period), threshold (every Nth), both (once per period after N)',
  params: [
    { name: 'type', type: 'enum', help: 'kind of threshold', values: ['limit', 'threshold', 'both'] },
    { name: 'track', type: 'enum', help: 'per source or destination address', values: ['by_src', 'by_dst'] },
    { name: 'count', type: 'int', help: 'events' },
    { name: 'seconds', type: 'int', help: 'period' },
  ],
  parse(args) {
    const p = parsePairs(args, ['type', 'track', 'count', 'seconds']);
    if (!p.ok) return p;
    const type = p.value.get('type');
    if (type !== 'limit' && type !== 'threshold' && type !== 'both') return err('type must be limit, threshold or both');
    const t = parseTrackCountSeconds(p.value);
    return t.ok ? ok({ type, ...t.value }) : t;
  },
  key: (t) => `${t.type},${t.track},${t.count},${t.seconds}`,
  apply(t, b) {
    if (b.threshold) return 'threshold given twice';
    b.threshold = t;
    return undefined;
  },
});
