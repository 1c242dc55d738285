/** `bufferlen` (Snort 3) — compare the length of the current buffer (remaining after the cursor with `relative`). */
import { err, ok } from '../../../../core/result.js';
import { defineOption } from './types.js';
import { compare, comparisonKey, parseComparison, splitArgs, type Comparison } from './util.js';

export interface BufferlenCfg {
  readonly cmp: Comparison;
  readonly relative: boolean;
}

export const bufferlen = defineOption<BufferlenCfg>({
  name: 'bufferlen',
  kind: 'match',
  help: 'compare the length of the current buffer (or of what remains after the cursor, with relative)',
  params: [
    { name: 'length', type: 'expr', help: 'N, <N, >N, <=N, >=N, !N, N<>M, N<=>M' },
    { name: 'relative', type: 'flag', help: 'measure from the cursor' },
  ],
  usesBuffer: true,
  parse(args) {
    if (args === undefined) return err('bufferlen needs a length');
    const a = splitArgs(args);
    const cmp = parseComparison(a[0], 65535);
    if (!cmp.ok) return cmp;
    let relative = false;
    for (const f of a.slice(1)) {
      if (f === 'relative') relative = true;
      else return err(`unknown bufferlen flag ${JSON.stringify(f)}`);
    }
    return ok({ cmp: cmp.value, relative });
  },
  key: (c) => `${comparisonKey(c.cmp)},${c.relative}`,
  eval: (c, m) => compare(c.cmp, c.relative ? m.buf.length - m.cursor : m.buf.length),
});
