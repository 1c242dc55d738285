/**
 * `flowint:name, op, value` (Suricata) — integer counters on the flow. Setters `=`, `+`, `-` act when the
 * whole rule matches; tests `==`, `!=`, `<`, `>`, `<=`, `>=`, `isset`, `notset`/`isnotset` are evaluated
 * in order. The value may be another counter's name. Without a flow, counters are unset.
 */
import { err, ok } from '../../../../core/result.js';
import type { FlowState } from '../../types.js';
import { defineOption, type MatchContext } from './types.js';
import { parseIntArg } from './util.js';

type Op = '=' | '+' | '-' | '==' | '!=' | '<' | '>' | '<=' | '>=' | 'isset' | 'notset';

export interface FlowintCfg {
  readonly name: string;
  readonly op: Op;
  /** Literal value, or the name of another counter. */
  readonly value: number | string;
}

/** Counters per flow; entries vanish with their flow objects. */
const counters = new WeakMap<FlowState, Map<string, number>>();

function valueOf(c: FlowintCfg, table: Map<string, number> | undefined): number | undefined {
  return typeof c.value === 'number' ? c.value : table?.get(c.value);
}

export const flowint = defineOption<FlowintCfg>({
  name: 'flowint',
  kind: 'match',
  help: 'set, change or compare integer counters kept on the flow',
  params: [
    { name: 'name', type: 'string', help: 'counter name' },
    { name: 'op', type: 'enum', help: 'setter or test', values: ['=', '+', '-', '==', '!=', '<', '>', '<=', '>=', 'isset', 'notset', 'isnotset'] },
    { name: 'value', type: 'expr', help: 'number or another counter' },
  ],
  parse(args) {
    const parts = (args ?? '').split(',').map((p) => p.trim());
    const name = parts[0];
    if (!name || !/^[\w.\-:]+$/.test(name)) return err('flowint needs a counter name');
    let op = parts[1] as Op | 'isnotset';
    if (op === 'isnotset') op = 'notset';
    if (op === 'isset' || op === 'notset') return parts.length === 2 ? ok({ name, op, value: 0 }) : err(`flowint ${op} takes no value`);
    if (!['=', '+', '-', '==', '!=', '<', '>', '<=', '>='].includes(op)) return err(`bad flowint operator ${JSON.stringify(parts[1] ?? '')}`);
    const raw = parts[2];
    if (parts.length !== 3 || !raw) return err('flowint needs name, operator, value');
    const n = parseIntArg(raw, 0, 0xffffffff);
    if (n === undefined && !/^[A-Za-z_][\w.\-:]*$/.test(raw)) return err(`bad flowint value ${JSON.stringify(raw)}`);
    return ok({ name, op, value: n ?? raw });
  },
  key: (c) => `${c.name},${c.op},${c.value}`,
  eval(c, m: MatchContext) {
    if (c.op === '=' || c.op === '+' || c.op === '-') return true;
    const flow = m.pkt.flow;
    const table = flow ? counters.get(flow) : undefined;
    const cur = table?.get(c.name);
    if (c.op === 'isset') return cur !== undefined;
    if (c.op === 'notset') return cur === undefined;
    const v = valueOf(c, table);
    if (cur === undefined || v === undefined) return false;
    switch (c.op) {
      case '==':
        return cur === v;
      case '!=':
        return cur !== v;
      case '<':
        return cur < v;
      case '>':
        return cur > v;
      case '<=':
        return cur <= v;
      case '>=':
        return cur >= v;
    }
  },
  onMatch(c, m) {
    if (c.op !== '=' && c.op !== '+' && c.op !== '-') return;
    const flow = m.pkt.flow;
    if (!flow) return;
    let table = counters.get(flow);
    if (!table) counters.set(flow, (table = new Map()));
    const v = valueOf(c, table);
    if (v === undefined) return;
    const cur = table.get(c.name) ?? 0;
    table.set(c.name, c.op === '=' ? v : c.op === '+' ? cur + v : Math.max(0, cur - v));
  },
});
