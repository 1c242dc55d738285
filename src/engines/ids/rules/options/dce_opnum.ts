/**
 * `dce_opnum:"0,2,5-7"` (Snort 3) — the DCE/RPC request's operation number is one of these. Reads the
 * `dce_opnum` buffer (decimal text) that the DCE/RPC inspector fills; without it the option does not match.
 */
import { err, ok } from '../../../../core/result.js';
import { defineOption } from './types.js';
import { unquote } from './util.js';

export const dceOpnum = defineOption<{ readonly ranges: readonly (readonly [number, number])[] }>({
  name: 'dce_opnum',
  kind: 'match',
  requires: 'dce_opnum',
  help: 'match DCE/RPC requests whose operation number is in the list',
  params: [{ name: 'opnums', type: 'list', help: 'numbers and ranges, e.g. "0,2,5-7"' }],
  parse(args) {
    const text = unquote(args) ?? '';
    const ranges: [number, number][] = [];
    for (const part of text.split(',')) {
      const m = /^\s*(\d{1,5})\s*(?:-\s*(\d{1,5}))?\s*$/.exec(part);
      if (!m) return err(`bad dce_opnum item ${JSON.stringify(part)}`);
      const a = Number(m[1]);
      const b = m[2] === undefined ? a : Number(m[2]);
      if (a > 65535 || b > 65535 || a > b) return err(`bad dce_opnum range ${JSON.stringify(part)}`);
      ranges.push([a, b]);
    }
    return ok({ ranges });
  },
  key: (c) => c.ranges.map(([a, b]) => `${a}-${b}`).join(','),
  eval(c, m) {
    const b = m.buffers.get('dce_opnum');
    if (!b) return false;
    const op = Number(Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1'));
    return c.ranges.some(([lo, hi]) => op >= lo && op <= hi);
  },
});
