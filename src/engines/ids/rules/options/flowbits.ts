/**
 * `flowbits` — named bits on the flow: `set`, `setx` (with group), `unset`, `toggle` act when the rule
 * matches; `isset` / `isnotset` test (with `a|b` = any, `a&b` = all); `noalert` suppresses the alert.
 * Without a flow, tests see no bits and setters do nothing.
 */
import { err, ok } from '../../../../core/result.js';
import type { FlowbitsCommand, FlowbitsOp } from '../types.js';
import { defineOption } from './types.js';

const COMMANDS = new Set<FlowbitsCommand>(['set', 'unset', 'toggle', 'isset', 'isnotset', 'noalert', 'setx', 'reset']);

export const flowbits = defineOption<FlowbitsOp>({
  name: 'flowbits',
  kind: 'match',
  help: 'set, clear or test named bits on the flow',
  params: [
    { name: 'command', type: 'enum', help: 'what to do', values: [...COMMANDS] },
    { name: 'bits', type: 'string', help: 'bit name(s): a, a|b (any), a&b (all)' },
    { name: 'group', type: 'string', help: 'group name (setx, Snort 2 group argument)' },
  ],
  parse(args) {
    if (args === undefined || args.trim() === '') return err('flowbits needs a command');
    const parts = args.split(',').map((p) => p.trim());
    const command = parts[0] as FlowbitsCommand;
    if (!COMMANDS.has(command)) return err(`unknown flowbits command ${JSON.stringify(parts[0])}`);
    if (command === 'noalert') return parts.length === 1 ? ok({ command, bits: [], any: false, group: undefined }) : err('noalert takes no bit');
    if (command === 'reset') return ok({ command, bits: [], any: false, group: parts[1] });
    const spec = parts[1];
    if (spec === undefined || spec === '') return err(`flowbits:${command} needs a bit name`);
    const any = spec.includes('|');
    const bits = spec.split(/[|&]/).map((b) => b.trim());
    for (const b of bits) if (!/^[\w.\-:/+]+$/.test(b)) return err(`bad flowbit name ${JSON.stringify(b)}`);
    if (any && spec.includes('&')) return err('flowbits cannot mix | and &');
    if ((any || bits.length > 1) && command !== 'isset' && command !== 'isnotset' && command !== 'set' && command !== 'unset' && command !== 'toggle')
      return err(`${command} takes one bit`);
    const group = parts[2];
    if (command === 'setx' && !group) return err('setx needs a group');
    return ok({ command, bits, any, group });
  },
  key: (f) => `${f.command},${f.bits.join(f.any ? '|' : '&')},${f.group ?? ''}`,
  apply(f, b) {
    if (f.command === 'noalert') b.noalert = true;
    b.flowbits.push(f);
    return undefined;
  },
  eval(f, m) {
    if (f.command !== 'isset' && f.command !== 'isnotset') return true;
    const bits = m.pkt.flow?.bits;
    let count = 0;
    if (bits) for (const b of f.bits) if (bits.has(b)) count++;
    if (f.command === 'isset') return f.any ? count > 0 : count === f.bits.length;
    return f.any ? count < f.bits.length : count === 0;
  },
});
