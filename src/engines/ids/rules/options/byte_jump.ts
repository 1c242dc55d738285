/**
 * `byte_jump` — read a length at an offset and move the cursor past it.
 * `byte_jump:bytes, offset [, relative] [, multiplier N] [, big|little] [, string, hex|dec|oct] [, align]
 *  [, from_beginning | from_end] [, post_offset N] [, dce] [, bitmask N]`.
 */
import { err, ok } from '../../../../core/result.js';
import { defineOption } from './types.js';
import { byteFlagsKey, numKey, numOrVar, parseByteFlags, parseIntArg, readValue, resolveNum, splitArgs, type ByteReadCfg, type NumOrVar } from './util.js';

export interface ByteJumpCfg extends ByteReadCfg {
  readonly offset: NumOrVar;
  multiplier: number;
  align: boolean;
  fromBeginning: boolean;
  fromEnd: boolean;
  postOffset: NumOrVar | undefined;
}

export const byteJump = defineOption<ByteJumpCfg>({
  name: 'byte_jump',
  kind: 'match',
  help: 'read a length field and move the cursor by it (for walking length-prefixed structures)',
  params: [
    { name: 'bytes', type: 'int', help: 'number of bytes to read: 1-4 binary, 1-10 with string' },
    { name: 'offset', type: 'expr', help: 'where to read (number or byte_extract variable)' },
    { name: 'flags', type: 'list', help: 'relative, multiplier N, big, little, string, hex, dec, oct, align, from_beginning, from_end, post_offset N, dce, bitmask N' },
  ],
  usesBuffer: true,
  parse(args, ctx) {
    if (args === undefined) return err('byte_jump needs bytes, offset');
    const a = splitArgs(args);
    if (a.length < 2) return err('byte_jump needs bytes, offset');
    const bytes = parseIntArg(a[0], 0, 10);
    if (bytes === undefined) return err(`bad byte count ${JSON.stringify(a[0])} (0-10)`);
    const offset = numOrVar(a[1], ctx, -65535, 65535);
    if (!offset.ok) return offset;
    const cfg: ByteJumpCfg = { bytes, relative: false, little: false, base: 0, dce: false, bitmask: 0, offset: offset.value, multiplier: 1, align: false, fromBeginning: false, fromEnd: false, postOffset: undefined };
    const rest = parseByteFlags(a.slice(2), cfg);
    if (!rest.ok) return rest;
    for (const r of rest.value) {
      const [w, v] = r.split(/\s+/, 2) as [string, string | undefined];
      if (w === 'multiplier') {
        const n = parseIntArg(v, 1, 65535);
        if (n === undefined) return err('multiplier needs 1-65535');
        cfg.multiplier = n;
      } else if (w === 'align') cfg.align = true;
      else if (w === 'from_beginning') cfg.fromBeginning = true;
      else if (w === 'from_end') cfg.fromEnd = true;
      else if (w === 'post_offset') {
        const n = numOrVar(v, ctx, -65535, 65535);
        if (!n.ok) return err(`post_offset: ${n.error}`);
        cfg.postOffset = n.value;
      } else return err(`unknown byte_jump flag ${JSON.stringify(r)}`);
    }
    if (cfg.base === 0 && bytes > 4) return err('binary byte_jump reads 0-4 bytes');
    if (bytes === 0 && !cfg.fromEnd) return err('byte_jump with 0 bytes needs from_end');
    return ok(cfg);
  },
  key: (c) => `${byteFlagsKey(c)},${numKey(c.offset)},${c.multiplier},${c.align},${c.fromBeginning},${c.fromEnd},${numKey(c.postOffset)}`,
  eval(c, m) {
    const readAt = (c.relative ? m.cursor : 0) + resolveNum(c.offset, m);
    let v: number | undefined;
    if (c.bytes === 0) v = 0;
    else v = readValue(c, m.buf, readAt);
    if (v === undefined) return false;
    v *= c.multiplier;
    if (c.align && v % 4 !== 0) v += 4 - (v % 4);
    let base: number;
    if (c.fromBeginning) base = 0;
    else if (c.fromEnd) base = m.buf.length;
    else base = readAt + c.bytes;
    let pos = base + v + (c.postOffset ? resolveNum(c.postOffset, m) : 0);
    if (pos < 0 || pos > m.buf.length) return false;
    // pos is within the buffer but may come from byte_extract doubles: the cursor stays a small integer
    // (a double there changes the cursor object's field representation and deoptimises its readers).
    m.cursor = pos | 0;
    pos = 0;
    return true;
  },
});
