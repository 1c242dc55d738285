/**
 * `byte_test` — read 1-4 bytes (binary) or up to 10 ASCII digits (string) and compare them with a value.
 * `byte_test:bytes, [!]op, value, offset [, relative] [, big|little] [, string, hex|dec|oct] [, dce] [, bitmask N]`.
 * The value and offset may be byte_extract variables. The cursor does not move.
 */
import { err, ok } from '../../../../core/result.js';
import { defineOption } from './types.js';
import {
  byteFlagsKey,
  numKey,
  numOrVar,
  parseByteFlags,
  parseIntArg,
  readValue,
  resolveNum,
  splitArgs,
  type ByteReadCfg,
  type NumOrVar,
} from './util.js';

type Op = '<' | '>' | '=' | '&' | '^' | '<=' | '>=';

export interface ByteTestCfg extends ByteReadCfg {
  readonly op: Op;
  readonly not: boolean;
  readonly value: NumOrVar;
  readonly offset: NumOrVar;
}

export const byteTest = defineOption<ByteTestCfg>({
  name: 'byte_test',
  kind: 'match',
  help: 'compare bytes at an offset (binary or ASCII number) with a value',
  params: [
    { name: 'bytes', type: 'int', help: 'number of bytes to read: 1-4 binary, 1-10 with string' },
    { name: 'operator', type: 'enum', help: 'comparison, optionally prefixed with !', values: ['<', '>', '=', '&', '^', '<=', '>='] },
    { name: 'value', type: 'expr', help: 'number or byte_extract variable' },
    { name: 'offset', type: 'expr', help: 'where to read, from the buffer start or the cursor (relative)' },
    { name: 'flags', type: 'list', help: 'relative, big, little, string, hex, dec, oct, dce, bitmask N' },
  ],
  usesBuffer: true,
  parse(args, ctx) {
    if (args === undefined) return err('byte_test needs bytes, operator, value, offset');
    const a = splitArgs(args);
    if (a.length < 4) return err('byte_test needs bytes, operator, value, offset');
    const bytes = parseIntArg(a[0], 0, 10);
    if (bytes === undefined) return err(`bad byte count ${JSON.stringify(a[0])} (0-10)`);
    const m = /^(!)?\s*(<=|>=|<|>|=|&|\^)?$/.exec(a[1]!.replace(/\s+/g, ''));
    if (!m || (!m[1] && !m[2])) return err(`bad operator ${JSON.stringify(a[1])}`);
    const value = numOrVar(a[2], ctx, 0, 0xffffffff);
    if (!value.ok) return value;
    const offset = numOrVar(a[3], ctx, -65535, 65535);
    if (!offset.ok) return offset;
    const cfg: ByteTestCfg = { bytes, relative: false, little: false, base: 0, dce: false, bitmask: 0, op: (m[2] ?? '=') as Op, not: m[1] === '!', value: value.value, offset: offset.value };
    const rest = parseByteFlags(a.slice(4), cfg);
    if (!rest.ok) return rest;
    if (rest.value.length > 0) return err(`unknown byte_test flag ${JSON.stringify(rest.value[0])}`);
    if (cfg.base === 0 && (bytes > 4 || bytes === 0)) return err('binary byte_test reads 1-4 bytes');
    return ok(cfg);
  },
  key: (c) => `${byteFlagsKey(c)},${c.not ? '!' : ''}${c.op},${numKey(c.value)},${numKey(c.offset)}`,
  eval(c, m) {
    const pos = (c.relative ? m.cursor : 0) + resolveNum(c.offset, m);
    // Suricata: 0 bytes with string reads all digits from the offset (up to 10).
    const v = c.bytes === 0 ? readValue({ ...c, bytes: Math.min(10, m.buf.length - pos) }, m.buf, pos) : readValue(c, m.buf, pos);
    if (v === undefined) return false;
    const x = resolveNum(c.value, m);
    let r: boolean;
    switch (c.op) {
      case '<':
        r = v < x;
        break;
      case '>':
        r = v > x;
        break;
      case '=':
        r = v === x;
        break;
      case '<=':
        r = v <= x;
        break;
      case '>=':
        r = v >= x;
        break;
      case '&':
        r = Number(BigInt(v) & BigInt(x)) !== 0;
        break;
      case '^':
        r = Number(BigInt(v) ^ BigInt(x)) !== 0;
        break;
    }
    return c.not ? !r : r;
  },
});
