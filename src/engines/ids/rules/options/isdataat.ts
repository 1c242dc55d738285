/** `isdataat:[!]N[,relative]` — true when the buffer has a byte at position N (from the start or the cursor). */
import { err, ok } from '../../../../core/result.js';
import { defineOption, type MatchContext } from './types.js';
import { numKey, numOrVar, resolveNum, splitArgs, type NumOrVar } from './util.js';

export interface IsdataatCfg {
  readonly not: boolean;
  readonly n: NumOrVar;
  readonly relative: boolean;
}

export const isdataat = defineOption<IsdataatCfg>({
  name: 'isdataat',
  kind: 'match',
  help: 'check that data exists at an offset (or, with !, that it does not)',
  params: [
    { name: 'offset', type: 'expr', help: '[!]N or a byte_extract variable' },
    { name: 'relative', type: 'flag', help: 'count from the cursor' },
  ],
  usesBuffer: true,
  parse(args, ctx) {
    if (args === undefined) return err('isdataat needs an offset');
    const a = splitArgs(args);
    let t = a[0]!;
    const not = t.startsWith('!');
    if (not) t = t.slice(1);
    const n = numOrVar(t, ctx, -65535, 65535);
    if (!n.ok) return n;
    let relative = false;
    for (const f of a.slice(1)) {
      if (f === 'relative') relative = true;
      else if (f === 'rawbytes') continue;
      else return err(`unknown isdataat flag ${JSON.stringify(f)}`);
    }
    return ok({ not, n: n.value, relative });
  },
  key: (c) => `${c.not ? '!' : ''}${numKey(c.n)},${c.relative}`,
  eval: evalIsdataat,
});

/** Evaluates an `isdataat` option (exported for the rule evaluator's direct dispatch). */
export function evalIsdataat(c: IsdataatCfg, m: MatchContext): boolean {
  const pos = (c.relative ? m.cursor : 0) + resolveNum(c.n, m);
  const has = pos >= 0 && pos < m.buf.length;
  return c.not ? !has : has;
}
