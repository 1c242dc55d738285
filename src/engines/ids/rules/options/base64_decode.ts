/**
 * `base64_decode[:bytes N][, offset N][, relative]` — decode base64 text from the current buffer (from its
 * start, or from the cursor with `relative`, plus offset; at most N input bytes) into the `base64_data`
 * buffer. Whitespace and line breaks inside the text are skipped; decoding stops at the first other
 * non-base64 byte. Matches when something was decoded.
 */
import { err, ok } from '../../../../core/result.js';
import { defineOption } from './types.js';
import { parseIntArg, splitArgs } from './util.js';

export interface Base64DecodeCfg {
  readonly bytes: number;
  readonly offset: number;
  readonly relative: boolean;
}

const VALUE = (() => {
  const t = new Int8Array(256).fill(-1);
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < abc.length; i++) t[abc.charCodeAt(i)] = i;
  return t;
})();

/**
 * Decodes base64 from buf[start, end); skips CR/LF/space/tab, stops at '=' or any other byte.
 *
 * @example
 * decodeBase64(Buffer.from('YWJj'), 0, 4); // bytes of "abc"
 */
export function decodeBase64(buf: Uint8Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(Math.ceil(((end - start) * 3) / 4));
  let n = 0;
  let acc = 0;
  let bits = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    const v = VALUE[c]!;
    if (v < 0) {
      if (c === 0x0d || c === 0x0a || c === 0x20 || c === 0x09) continue;
      break;
    }
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, n);
}

export const base64Decode = defineOption<Base64DecodeCfg>({
  name: 'base64_decode',
  kind: 'match',
  help: 'decode base64 text from the current buffer into base64_data',
  params: [
    { name: 'bytes', type: 'int', help: 'input bytes to decode (default: to the end of the buffer)' },
    { name: 'offset', type: 'int', help: 'where to start, from the buffer start or the cursor' },
    { name: 'relative', type: 'flag', help: 'start from the cursor' },
  ],
  usesBuffer: true,
  parse(args) {
    const cfg = { bytes: 0, offset: 0, relative: false };
    if (args === undefined || args.trim() === '') return ok(cfg);
    for (const a of splitArgs(args)) {
      const [w, v] = a.split(/\s+/, 2) as [string, string | undefined];
      if (w === 'relative' && v === undefined) cfg.relative = true;
      else if (w === 'bytes' || w === 'offset') {
        const n = parseIntArg(v, w === 'bytes' ? 1 : 0, 65535);
        if (n === undefined) return err(`${w} needs a number`);
        cfg[w] = n;
      } else return err(`unknown base64_decode argument ${JSON.stringify(a)}`);
    }
    return ok(cfg);
  },
  key: (c) => `${c.bytes},${c.offset},${c.relative}`,
  eval(c, m) {
    const start = (c.relative ? m.cursor : 0) + c.offset;
    if (start >= m.buf.length) return false;
    const end = c.bytes > 0 ? Math.min(m.buf.length, start + c.bytes) : m.buf.length;
    const d = decodeBase64(m.buf, start, end);
    if (d.length === 0) return false;
    m.decoded = d;
    return true;
  },
});
