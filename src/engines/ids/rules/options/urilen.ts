/** `urilen:N|<N|>N|N<>M[,norm|raw]` — compare the length of the (normalised or raw) HTTP URI. */
import { err, ok } from '../../../../core/result.js';
import { defineOption } from './types.js';
import { compare, comparisonKey, parseComparison, splitArgs, type Comparison } from './util.js';

export interface UrilenCfg {
  readonly cmp: Comparison;
  readonly buffer: 'http_uri' | 'http_raw_uri';
}

export const urilen = defineOption<UrilenCfg>({
  name: 'urilen',
  kind: 'match',
  help: 'compare the length of the HTTP request URI (normalised by default, raw with ",raw")',
  params: [
    { name: 'length', type: 'expr', help: 'N, <N, >N, N<>M' },
    { name: 'form', type: 'enum', help: 'which URI', values: ['norm', 'raw'] },
  ],
  parse(args) {
    if (args === undefined) return err('urilen needs a length');
    const a = splitArgs(args);
    const cmp = parseComparison(a[0], 65535);
    if (!cmp.ok) return cmp;
    if (a.length > 2 || (a[1] !== undefined && a[1] !== 'norm' && a[1] !== 'raw')) return err('urilen takes a length and optionally norm or raw');
    return ok({ cmp: cmp.value, buffer: a[1] === 'raw' ? 'http_raw_uri' : 'http_uri' });
  },
  key: (c) => `${comparisonKey(c.cmp)},${c.buffer}`,
  eval(c, m) {
    const b = m.buffers.get(c.buffer);
    return b !== undefined && compare(c.cmp, b.length);
  },
});
