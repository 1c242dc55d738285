/**
 * `asn1:[bitstring_overflow][, double_overflow][, oversize_length N][, absolute_offset N | relative_offset N]`
 * — decode BER/DER elements from the buffer (recursing into constructed ones) and match when one of them is
 * malformed in a known-exploitable way:
 * - bitstring_overflow: a primitive BIT STRING whose "unused bits" byte exceeds the bits it holds;
 * - double_overflow: a primitive REAL in decimal (ASCII) encoding longer than 256 bytes;
 * - oversize_length N: an element whose declared length is >= N, or a length field too long to decode.
 * Decoding is bounded (1,024 elements, nesting 20) so crafted data cannot make it run long.
 */
import { err, ok } from '../../../../core/result.js';
import { defineOption } from './types.js';
import { parseIntArg, splitArgs } from './util.js';

export interface Asn1Cfg {
  readonly bitstring: boolean;
  readonly double: boolean;
  /** 0 = not checked. */
  readonly oversize: number;
  readonly offset: number;
  readonly relative: boolean;
}

const MAX_ELEMENTS = 1024;
const MAX_DEPTH = 20;
const TAG_BIT_STRING = 3;
const TAG_REAL = 9;

interface Walk {
  count: number;
  overlong: boolean;
}

/** Visits elements in buf[pos, end); returns true as soon as `hit` does. */
function walk(buf: Uint8Array, pos: number, end: number, depth: number, w: Walk, hit: (tag: number, constructed: boolean, len: number, data: number) => boolean): boolean {
  while (pos < end) {
    if (++w.count > MAX_ELEMENTS) return false;
    const id = buf[pos++]!;
    const constructed = (id & 0x20) !== 0;
    let tag = id & 0x1f;
    if (tag === 0x1f) {
      // High tag number form: base-128 digits, the last without the top bit.
      tag = 0;
      let digits = 0;
      for (;;) {
        if (pos >= end || ++digits > 4) return false;
        const b = buf[pos++]!;
        tag = tag * 128 + (b & 0x7f);
        if ((b & 0x80) === 0) break;
      }
    }
    if (pos >= end) return false;
    let len = buf[pos++]!;
    let indefinite = false;
    if (len === 0x80) {
      indefinite = true;
      len = end - pos;
    } else if (len > 0x80) {
      const n = len & 0x7f;
      if (n > 4) {
        w.overlong = true;
        return false;
      }
      len = 0;
      for (let i = 0; i < n; i++) {
        if (pos >= end) return false;
        len = len * 256 + buf[pos++]!;
      }
    }
    if (hit(tag, constructed, len, pos)) return true;
    const dataEnd = Math.min(end, pos + len);
    if (constructed && depth < MAX_DEPTH && walk(buf, pos, dataEnd, depth + 1, w, hit)) return true;
    if (indefinite || pos + len > end) return false;
    pos += len;
  }
  return false;
}

export const asn1 = defineOption<Asn1Cfg>({
  name: 'asn1',
  kind: 'match',
  help: 'decode ASN.1 (BER) data and match malformed bit strings, reals or oversized lengths',
  params: [
    { name: 'bitstring_overflow', type: 'flag', help: 'BIT STRING with more unused bits than it holds' },
    { name: 'double_overflow', type: 'flag', help: 'ASCII-encoded REAL longer than 256 bytes' },
    { name: 'oversize_length', type: 'int', help: 'match a declared length >= N' },
    { name: 'absolute_offset', type: 'int', help: 'start decoding here from the buffer start' },
    { name: 'relative_offset', type: 'int', help: 'start decoding here from the cursor' },
  ],
  usesBuffer: true,
  parse(args) {
    if (args === undefined || args.trim() === '') return err('asn1 needs at least one detection');
    const c = { bitstring: false, double: false, oversize: 0, offset: 0, relative: false };
    let where = 0;
    for (const a of splitArgs(args)) {
      const [w, v] = a.split(/\s+/, 2) as [string, string | undefined];
      if (w === 'bitstring_overflow' && v === undefined) c.bitstring = true;
      else if (w === 'double_overflow' && v === undefined) c.double = true;
      else if (w === 'print' && v === undefined) continue;
      else if (w === 'oversize_length') {
        const n = parseIntArg(v, 1, 0xffffffff);
        if (n === undefined) return err('oversize_length needs a positive number');
        c.oversize = n;
      } else if (w === 'absolute_offset' || w === 'relative_offset') {
        const n = parseIntArg(v, -65535, 65535);
        if (n === undefined) return err(`${w} needs a number`);
        if (++where > 1) return err('give absolute_offset or relative_offset, not both');
        c.offset = n;
        c.relative = w === 'relative_offset';
      } else return err(`unknown asn1 argument ${JSON.stringify(a)}`);
    }
    if (!c.bitstring && !c.double && c.oversize === 0) return err('asn1 needs bitstring_overflow, double_overflow or oversize_length');
    return ok(c);
  },
  key: (c) => `${c.bitstring},${c.double},${c.oversize},${c.offset},${c.relative}`,
  eval(c, m) {
    const buf = m.buf;
    const start = (c.relative ? m.cursor : 0) + c.offset;
    if (start < 0 || start >= buf.length) return false;
    const w: Walk = { count: 0, overlong: false };
    const found = walk(buf, start, buf.length, 0, w, (tag, constructed, len, data) => {
      if (c.oversize > 0 && len >= c.oversize) return true;
      if (constructed || len === 0 || data >= buf.length) return false;
      if (c.bitstring && tag === TAG_BIT_STRING && (len - 1) * 8 < buf[data]!) return true;
      if (c.double && tag === TAG_REAL && (buf[data]! & 0xc0) === 0 && len > 256) return true;
      return false;
    });
    return found || (c.oversize > 0 && w.overlong);
  },
});
