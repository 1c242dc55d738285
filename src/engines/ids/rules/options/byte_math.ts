/**
 * `byte_math` — read a number, combine it with a value, store the result in a variable.
 * `byte_math:bytes N, offset N, oper +|-|*|/|<<|>>, rvalue N|var, result name [, relative] [, endian big|little]
 *  [, string hex|dec|oct] [, dce] [, bitmask N]`.
 */
import { err, ok } from '../../../../core/result.js';
import { defineOption } from './types.js';
import { byteFlagsKey, numKey, numOrVar, parseByteFlags, parseIntArg, readValue, resolveNum, splitArgs, type ByteReadCfg, type NumOrVar } from './util.js';
import { MAX_RULE_VARS } from './byte_extract.js';

type Oper = '+' | '-' | '*' | '/' | '<<' | '>>';

export interface ByteMathCfg extends ByteReadCfg {
  offset: NumOrVar;
  oper: Oper;
  rvalue: NumOrVar;
  name: string;
  slot: number;
}

export const byteMath = defineOption<ByteMathCfg>({
  name: 'byte_math',
  kind: 'match',
  help: 'read a number, apply an arithmetic operation and store the result in a variable',
  params: [
    { name: 'bytes', type: 'int', help: '1-4 (1-10 with string)' },
    { name: 'offset', type: 'expr', help: 'where to read' },
    { name: 'oper', type: 'enum', help: 'operation', values: ['+', '-', '*', '/', '<<', '>>'] },
    { name: 'rvalue', type: 'expr', help: 'right operand: number or variable' },
    { name: 'result', type: 'string', help: 'variable receiving the result' },
  ],
  usesBuffer: true,
  parse(args, ctx) {
    if (args === undefined) return err('byte_math needs bytes, offset, oper, rvalue, result');
    const cfg: ByteMathCfg = { bytes: 0, relative: false, little: false, base: 0, dce: false, bitmask: 0, offset: { value: 0, slot: -1, name: undefined }, oper: '+', rvalue: { value: 0, slot: -1, name: undefined }, name: '', slot: -1 };
    const flags: string[] = [];
    let haveOffset = false;
    let haveR = false;
    for (const part of splitArgs(args)) {
      const [w, v] = part.split(/\s+/, 2) as [string, string | undefined];
      switch (w) {
        case 'bytes': {
          const n = parseIntArg(v, 1, 10);
          if (n === undefined) return err('bytes needs 1-10');
          cfg.bytes = n;
          break;
        }
        case 'offset': {
          const n = numOrVar(v, ctx, -65535, 65535);
          if (!n.ok) return err(`offset: ${n.error}`);
          cfg.offset = n.value;
          haveOffset = true;
          break;
        }
        case 'oper':
          if (v === undefined || !['+', '-', '*', '/', '<<', '>>'].includes(v)) return err(`bad oper ${JSON.stringify(v ?? '')}`);
          cfg.oper = v as Oper;
          break;
        case 'rvalue': {
          const n = numOrVar(v, ctx, 0, 0xffffffff);
          if (!n.ok) return err(`rvalue: ${n.error}`);
          cfg.rvalue = n.value;
          haveR = true;
          break;
        }
        case 'result':
          if (v === undefined || !/^[A-Za-z_][\w.-]*$/.test(v)) return err('result needs a variable name');
          cfg.name = v;
          break;
        case 'endian':
          flags.push(v ?? '');
          break;
        default:
          flags.push(part);
      }
    }
    if (cfg.bytes === 0 || !haveOffset || !haveR || cfg.name === '') return err('byte_math needs bytes, offset, oper, rvalue and result');
    if (cfg.oper === '/' && cfg.rvalue.slot < 0 && cfg.rvalue.value === 0) return err('division by zero');
    const rest = parseByteFlags(flags, cfg);
    if (!rest.ok) return rest;
    if (rest.value.length > 0) return err(`unknown byte_math flag ${JSON.stringify(rest.value[0])}`);
    if (cfg.base === 0 && cfg.bytes > 4) return err('binary byte_math reads 1-4 bytes');
    let slot = ctx.byteVars.get(cfg.name);
    if (slot === undefined) {
      if (ctx.byteVars.size >= MAX_RULE_VARS) return err(`more than ${MAX_RULE_VARS} variables in one rule`);
      slot = ctx.byteVars.size;
      ctx.byteVars.set(cfg.name, slot);
    }
    cfg.slot = slot;
    return ok(cfg);
  },
  key: (c) => `${byteFlagsKey(c)},${numKey(c.offset)},${c.oper},${numKey(c.rvalue)},${c.name}`,
  eval(c, m) {
    const pos = (c.relative ? m.cursor : 0) + resolveNum(c.offset, m);
    const v = readValue(c, m.buf, pos);
    if (v === undefined) return false;
    const r = resolveNum(c.rvalue, m);
    let out: number;
    switch (c.oper) {
      case '+':
        out = v + r;
        break;
      case '-':
        out = v - r;
        break;
      case '*':
        out = v * r;
        break;
      case '/':
        if (r === 0) return false;
        out = Math.floor(v / r);
        break;
      case '<<':
        out = v * 2 ** r;
        break;
      case '>>':
        out = Math.floor(v / 2 ** r);
        break;
    }
    m.state.vars[c.slot] = out;
    return true;
  },
});
