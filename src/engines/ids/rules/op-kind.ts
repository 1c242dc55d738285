/**
 * Dispatch kinds of compiled options (`CompiledOp.kind`): rule-parser.ts assigns them, eval.ts switches
 * on them. Kept apart from both so neither imports the other.
 */
import { evalContent } from './options/content.js';
import { evalDsize } from './options/dsize.js';
import { evalFlags } from './options/flags.js';
import { evalFlow } from './options/flow.js';
import { evalFlowbits } from './options/flowbits.js';
import { evalIcode } from './options/icode.js';
import { evalIsdataat } from './options/isdataat.js';
import { evalItype } from './options/itype.js';
import { evalPcre } from './options/pcre.js';
import type { OptionDef } from './options/types.js';

/**
 * How `run` calls an option: the frequent kinds by a direct call (one call target per site, so V8 can
 * inline them), every other option through its `evalFn`. Calling `op.def.eval` instead read `eval`
 * from ~150 option objects of different shapes (a megamorphic load) and called one of ~100 targets.
 */
export const OP_OTHER = 0;
export const OP_CONTENT = 1;
export const OP_PCRE = 2;
export const OP_FLOW = 3;
export const OP_FLAGS = 4;
export const OP_ICODE = 5;
export const OP_ITYPE = 6;
export const OP_FLOWBITS = 7;
export const OP_ISDATAAT = 8;
export const OP_DSIZE = 9;

/** The dispatch kind of an option (see OP_OTHER), from its evaluator: `uricontent` runs as content. */
export function opKindOf(def: OptionDef): number {
  const e = def.eval as unknown;
  if (e === evalContent) return OP_CONTENT;
  if (e === evalPcre) return OP_PCRE;
  if (e === evalFlow) return OP_FLOW;
  if (e === evalFlags) return OP_FLAGS;
  if (e === evalIcode) return OP_ICODE;
  if (e === evalItype) return OP_ITYPE;
  if (e === evalFlowbits) return OP_FLOWBITS;
  if (e === evalIsdataat) return OP_ISDATAAT;
  if (e === evalDsize) return OP_DSIZE;
  return OP_OTHER;
}
