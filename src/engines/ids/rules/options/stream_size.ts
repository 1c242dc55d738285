/** `stream_size:server|client|both|either,<op>,N` — compare the bytes seen so far on the flow. */
import { err, ok } from '../../../../core/result.js';
import { defineOption } from './types.js';
import { compare, comparisonKey, parseComparison, splitArgs, type Comparison } from './util.js';

export interface StreamSizeCfg {
  readonly side: 'server' | 'client' | 'both' | 'either';
  readonly cmp: Comparison;
}

export const streamSize = defineOption<StreamSizeCfg>({
  name: 'stream_size',
  kind: 'match',
  help: 'compare the number of bytes the client and/or server have sent on this flow',
  params: [
    { name: 'direction', type: 'enum', help: 'which side', values: ['server', 'client', 'both', 'either'] },
    { name: 'operator', type: 'enum', help: 'comparison', values: ['<', '>', '=', '!=', '<=', '>='] },
    { name: 'size', type: 'int', help: 'bytes' },
  ],
  parse(args) {
    if (args === undefined) return err('stream_size needs direction, operator, size');
    const a = splitArgs(args);
    if (a.length !== 3) return err('stream_size needs direction, operator, size');
    const side = a[0] as StreamSizeCfg['side'];
    if (!['server', 'client', 'both', 'either'].includes(side)) return err(`bad direction ${JSON.stringify(a[0])}`);
    if (!/^(<|>|=|!=|<=|>=)$/.test(a[1]!)) return err(`bad operator ${JSON.stringify(a[1])}`);
    const cmp = parseComparison(`${a[1]}${a[2]}`, 0xffffffff);
    return cmp.ok ? ok({ side, cmp: cmp.value }) : cmp;
  },
  key: (c) => `${c.side},${comparisonKey(c.cmp)}`,
  eval(c, m) {
    const f = m.pkt.flow;
    if (!f) return false;
    const s = compare(c.cmp, f.serverBytes);
    const cl = compare(c.cmp, f.clientBytes);
    switch (c.side) {
      case 'server':
        return s;
      case 'client':
        return cl;
      case 'both':
        return s && cl;
      case 'either':
        return s || cl;
    }
  },
});
