import { describe, expect, it } from 'vitest';
import { loadRules } from './parser/load.js';
import type { CompiledRule } from './parser/rule-parser.js';
import { OP_CONTENT, OP_DSIZE, OP_FLAGS, OP_FLOW, OP_FLOWBITS, OP_ICODE, OP_ISDATAAT, OP_ITYPE, OP_OTHER, OP_PCRE, opKindOf } from './op-kind.js';
import { optionRegistry } from './options/index.js';
import { snortDefaultVariables } from './variables.js';

/** The options matchRule calls directly; each one's own cases in options.test.ts run through that call. */
const DIRECT: Record<string, number> = {
  content: OP_CONTENT,
  uricontent: OP_CONTENT,
  pcre: OP_PCRE,
  flow: OP_FLOW,
  flags: OP_FLAGS,
  icode: OP_ICODE,
  itype: OP_ITYPE,
  flowbits: OP_FLOWBITS,
  isdataat: OP_ISDATAAT,
  dsize: OP_DSIZE,
};

describe('op kinds', () => {
  it('gives the options matchRule calls directly their own kind and every other option OP_OTHER', () => {
    for (const def of optionRegistry.list()) {
      expect([def.name, opKindOf(def)]).toEqual([def.name, DIRECT[def.name] ?? OP_OTHER]);
    }
  });

  it('compiles each option with its kind and its own evaluator when a rule loads', () => {
    const text =
      'alert tcp any any -> any any (msg:"k"; flow:established; flags:S; dsize:>1; content:"a"; isdataat:1,relative; pcre:"/b/"; flowbits:isset,x; byte_test:1,>,1,0; sid:1;)';
    const r = loadRules([{ text, name: 'k.rules' }], snortDefaultVariables());
    expect(r.errors).toEqual([]);
    const ops = (r.rules[0] as CompiledRule).ops;
    expect(ops.map((o) => [o.name, o.kind])).toEqual([
      ['flow', OP_FLOW],
      ['flags', OP_FLAGS],
      ['dsize', OP_DSIZE],
      ['content', OP_CONTENT],
      ['isdataat', OP_ISDATAAT],
      ['pcre', OP_PCRE],
      ['flowbits', OP_FLOWBITS],
      ['byte_test', OP_OTHER],
    ]);
    for (const o of ops) expect(o.evalFn).toBe(o.def.eval);
  });
});
