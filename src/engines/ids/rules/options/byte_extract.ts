/**
 * `byte_extract` — read a number into a named variable usable by later options
 * (content offset/depth/distance/within, byte_test value/offset, byte_jump offset, isdataat...).
 * `byte_extract:bytes, offset, name [, relative] [, multiplier N] [, big|little] [, string, hex|dec|oct]
 *  [, align 2|4] [, dce] [, bitmask N]`.
 */
import { err, ok } from '../../../../core/result.js';
import { defineOption } from './types.js';
import { byteFlagsKey, numKey, numOrVar, parseByteFlags, parseIntArg, readValue, resolveNum, splitArgs, type ByteReadCfg, type NumOrVar } from './util.js';

/** Maximum byte_extract/byte_math variables per rule (Snort allows 2 byte_extract per rule; we allow more). */
export const MAX_RULE_VARS = 16;

export interface ByteExtractCfg extends ByteReadCfg {
  readonly offset: NumOrVar;
  readonly name: string;
  readonly slot: number;
  multiplier: number;
  align: number;
  /**
   * Snort 2 / Suricata move the cursor to just after the bytes read; Snort 3 advances the cursor by the
   * number of bytes read from where it was (ips_byte_extract.cc: c.add_pos(bytes_read)), ignoring offset.
   */
  readonly snort3Cursor: boolean;
}

export const byteExtract = defineOption<ByteExtractCfg>({
  name: 'byte_extract',
  kind: 'match',
  help: 'read a number from the buffer into a variable for later options',
  params: [
    { name: 'bytes', type: 'int', help: 'number of bytes to read: 1-4 binary, 1-10 with string' },
    { name: 'offset', type: 'expr', help: 'where to read' },
    { name: 'name', type: 'string', help: 'variable name' },
    { name: 'flags', type: 'list', help: 'relative, multiplier N, big, little, string, hex, dec, oct, align 2|4, dce, bitmask N' },
  ],
  usesBuffer: true,
  parse(args, ctx) {
    if (args === undefined) return err('byte_extract needs bytes, offset, name');
    const a = splitArgs(args);
    if (a.length < 3) return err('byte_extract needs bytes, offset, name');
    const bytes = parseIntArg(a[0], 1, 10);
    if (bytes === undefined) return err(`bad byte count ${JSON.stringify(a[0])} (1-10)`);
    const offset = numOrVar(a[1], ctx, -65535, 65535);
    if (!offset.ok) return offset;
    const name = a[2]!;
    if (!/^[A-Za-z_][\w.-]*$/.test(name)) return err(`bad variable name ${JSON.stringify(name)}`);
    let slot = ctx.byteVars.get(name);
    if (slot === undefined) {
      if (ctx.byteVars.size >= MAX_RULE_VARS) return err(`more than ${MAX_RULE_VARS} variables in one rule`);
      slot = ctx.byteVars.size;
    }
    const cfg: ByteExtractCfg = { bytes, relative: false, little: false, base: 0, dce: false, bitmask: 0, offset: offset.value, name, slot, multiplier: 1, align: 0, snort3Cursor: ctx.syntax === 'snort3' };
    const rest = parseByteFlags(a.slice(3), cfg);
    if (!rest.ok) return rest;
    for (const r of rest.value) {
      const [w, v] = r.split(/\s+/, 2) as [string, string | undefined];
      if (w === 'multiplier') {
        const n = parseIntArg(v, 1, 65535);
        if (n === undefined) return err('multiplier needs 1-65535');
        cfg.multiplier = n;
      } else if (w === 'align') {
        const n = parseIntArg(v, 2, 4);
        if (n !== 2 && n !== 4) return err('align takes 2 or 4');
        cfg.align = n;
      } else return err(`unknown byte_extract flag ${JSON.stringify(r)}`);
    }
    if (cfg.base === 0 && bytes > 4) return err('binary byte_extract reads 1-4 bytes');
    // Registered only once the whole option parsed, so a failed parse leaves no variable behind.
    ctx.byteVars.set(name, slot);
    return ok(cfg);
  },
  key: (c) => `${byteFlagsKey(c)},${numKey(c.offset)},${c.name},${c.multiplier},${c.align},${c.snort3Cursor}`,
  eval(c, m) {
    const pos = (c.relative ? m.cursor : 0) + resolveNum(c.offset, m);
    let v = readValue(c, m.buf, pos);
    if (v === undefined) return false;
    v *= c.multiplier;
    if (c.align > 0 && v % c.align !== 0) v += c.align - (v % c.align);
    m.state.vars[c.slot] = v;
    if (c.snort3Cursor) m.cursor += c.bytes;
    // Within the buffer (readValue succeeded); | 0 keeps the cursor a small integer, see byte_jump.
    else m.cursor = (pos + c.bytes) | 0;
    return true;
  },
});
