/** `detection_filter:track by_src|by_dst, count N, seconds N` — alert only after N matches within the period. */
import { ok } from '../../../../core/result.js';
import type { DetectionFilterConfig } from '../types.js';
import { defineOption } from './types.js';
import { parsePairs, parseTrackCountSeconds } from './threshold.js';

export const detectionFilter = defineOption<DetectionFilterConfig>({
  name: 'detection_filter',
  kind: 'meta',
  help: 'require count matches per tracked address within seconds before the rule alerts',
  params: [
    { name: 'track', type: 'enum', help: 'per source or destination address', values: ['by_src', 'by_dst'] },
    { name: 'count', type: 'int', help: 'matches' },
    { name: 'seconds', type: 'int', help: 'period' },
  ],
  parse(args) {
    const p = parsePairs(args, ['track', 'count', 'seconds']);
    if (!p.ok) return p;
    const t = parseTrackCountSeconds(p.value);
    return t.ok ? ok(t.value) : t;
  },
  key: (t) => `${t.track},${t.count},${t.seconds}`,
  apply(t, b) {
    if (b.detectionFilter) return 'detection_filter given twice';
    b.detectionFilter = t;
    return undefined;
  },
});
