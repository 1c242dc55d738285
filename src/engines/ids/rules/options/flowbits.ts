/**
 * `flowbits` — named bits on the flow (Snort 2.9 semantics, groups included; Snort 3 and Suricata use
 * the subset without groups):
 *   - `set,a[&b][,group]` sets the bits (and makes them members of the group); `setx,a[&b],group` sets
 *     them and unsets the group's other bits; `unset,a[&b]` / `unset,all,group`; `toggle,a[&b]` /
 *     `toggle,all,group`; `reset[,group]` clears every bit of the flow (or of the group). These act only
 *     when the whole rule matches.
 *   - `isset` / `isnotset` test `a` (one bit), `a|b` (any), `a&b` (all), or `any,group` / `all,group`
 *     (any / all of the group's bits set; for isnotset: any / all of them not set).
 *   - `noalert` suppresses the alert.
 * A group's members are the bits that `set` / `setx` name with it in any rule parsed in this process
 * (Snort gathers them from the whole rule set the same way). Without a flow, tests see no bits and
 * setters do nothing.
 */
import { err, ok } from '../../../../core/result.js';
import type { FlowbitsCommand, FlowbitsOp } from '../types.js';
import { keptString } from './search.js';
import { defineOption, type MatchContext } from './types.js';

const COMMANDS = new Set<FlowbitsCommand>(['set', 'unset', 'toggle', 'isset', 'isnotset', 'noalert', 'setx', 'reset']);
const NAME = /^[\w.\-:/+]+$/;

/** A flowbits option as parsed here: the rule-facing op plus its group's member set. */
export interface FlowbitsCfg extends FlowbitsOp {
  /** The group's members (shared by every op naming the group; grows as rules are parsed). */
  readonly members: ReadonlySet<string> | undefined;
  /** `unset,all,g` / `toggle,all,g` / `isset,any|all,g` / `isnotset,any|all,g`: the op is about the whole group. */
  readonly wholeGroup: boolean;
}

const groups = new Map<string, Set<string>>();

function groupMembers(name: string): Set<string> {
  let s = groups.get(name);
  if (s === undefined) groups.set(name, (s = new Set()));
  return s;
}

function parseFlowbits(args: string | undefined): ReturnType<typeof ok<FlowbitsCfg>> | ReturnType<typeof err<string>> {
  if (args === undefined || args.trim() === '') return err('flowbits needs a command');
  const parts = args.split(',').map((p) => p.trim());
  const command = parts[0] as FlowbitsCommand;
  if (!COMMANDS.has(command)) return err(`unknown flowbits command ${JSON.stringify(parts[0])}`);
  const base = { command, bits: [] as string[], any: false, group: undefined as string | undefined, members: undefined, wholeGroup: false };
  if (command === 'noalert') return parts.length === 1 ? ok(base) : err('noalert takes no bit');
  if (command === 'reset') {
    const group = parts[1];
    if (parts.length > 2 || (group !== undefined && !NAME.test(group))) return err('flowbits:reset takes at most a group name');
    return ok({ ...base, group, members: group === undefined ? undefined : groupMembers(group) });
  }
  const spec = parts[1];
  if (spec === undefined || spec === '') return err(`flowbits:${command} needs a bit name`);
  if (parts.length > 3) return err(`flowbits:${command} takes bits and at most one group`);
  const group = parts[2];
  if (group !== undefined && !NAME.test(group)) return err(`bad flowbits group name ${JSON.stringify(group)}`);
  const test = command === 'isset' || command === 'isnotset';
  // The whole-group forms: unset,all,g / toggle,all,g / isset,any|all,g / isnotset,any|all,g.
  if ((spec === 'all' && (command === 'unset' || command === 'toggle' || test)) || (spec === 'any' && test)) {
    if (group === undefined) return err(`flowbits:${command},${spec} needs a group`);
    return ok({ ...base, any: spec === 'any', group, members: groupMembers(group), wholeGroup: true });
  }
  const any = spec.includes('|');
  if (any && spec.includes('&')) return err('flowbits cannot mix | and &');
  // Shared and detached: slices of the rule text would keep the rule file in memory.
  const bits = spec.split(/[|&]/).map((b) => keptString(b.trim()));
  for (const b of bits) if (!NAME.test(b)) return err(`bad flowbit name ${JSON.stringify(b)}`);
  if (command === 'setx' && group === undefined) return err('setx needs a group');
  let members: Set<string> | undefined;
  if (group !== undefined && (command === 'set' || command === 'setx')) {
    members = groupMembers(group);
    for (const b of bits) members.add(b);
  }
  // Other commands ignore a group given with named bits (Snort: they test or change the bits themselves).
  return ok({ ...base, bits, any, group, members });
}

/**
 * Applies a matched rule's setter (set, setx, unset, toggle, reset) to a flow's bits; tests and noalert
 * do nothing here.
 *
 * @example
 * for (const f of rule.flowbits) applyFlowbitsOp(f, pkt.flow.bits);
 */
export function applyFlowbitsOp(op: FlowbitsOp, bits: Set<string>): void {
  const f = op as FlowbitsCfg;
  switch (f.command) {
    case 'set':
      for (const b of f.bits) bits.add(b);
      break;
    case 'setx':
      if (f.members !== undefined) for (const m of f.members) if (!f.bits.includes(m)) bits.delete(m);
      for (const b of f.bits) bits.add(b);
      break;
    case 'unset':
      for (const b of f.wholeGroup ? (f.members ?? []) : f.bits) bits.delete(b);
      break;
    case 'toggle':
      // Snapshot the group first: toggling while iterating a live Set could revisit bits.
      for (const b of f.wholeGroup ? [...(f.members ?? [])] : f.bits) {
        if (bits.has(b)) bits.delete(b);
        else bits.add(b);
      }
      break;
    case 'reset':
      if (f.members === undefined) bits.clear();
      else for (const m of f.members) bits.delete(m);
      break;
    default:
      break;
  }
}

/** isset / isnotset against a flow's bits (undefined = no flow: nothing is set). */
export function testFlowbits(op: FlowbitsOp, bits: ReadonlySet<string> | undefined): boolean {
  const f = op as FlowbitsCfg;
  let total: number;
  let count = 0;
  if (f.wholeGroup) {
    const members = f.members ?? new Set<string>();
    total = members.size;
    if (bits !== undefined) for (const m of members) if (bits.has(m)) count++;
  } else {
    total = f.bits.length;
    if (bits !== undefined) for (const b of f.bits) if (bits.has(b)) count++;
  }
  if (f.command === 'isset') return f.any ? count > 0 : total > 0 && count === total;
  return f.any ? count < total : count === 0;
}

export const flowbits = defineOption<FlowbitsCfg>({
  name: 'flowbits',
  kind: 'match',
  help: 'set, clear or test named bits (and groups of bits) on the flow',
  params: [
    { name: 'command', type: 'enum', help: 'what to do', values: [...COMMANDS] },
    { name: 'bits', type: 'string', help: 'bit name(s): a, a|b (any), a&b (all); all / any with a group' },
    { name: 'group', type: 'string', help: 'group name: set/setx add the bits to it; setx clears its other bits' },
  ],
  parse: parseFlowbits,
  key: (f) => `${f.command},${f.wholeGroup ? (f.any ? 'any' : 'all') : f.bits.join(f.any ? '|' : '&')},${f.group ?? ''}`,
  apply(f, b) {
    if (f.command === 'noalert') b.noalert = true;
    b.flowbits.push(f);
    return undefined;
  },
  eval: evalFlowbits,
});

/** Evaluates a `flowbits` option: only isset / isnotset test anything (exported for direct dispatch). */
export function evalFlowbits(f: FlowbitsCfg, m: MatchContext): boolean {
  if (f.command !== 'isset' && f.command !== 'isnotset') return true;
  return testFlowbits(f, m.pkt.flow?.bits);
}
