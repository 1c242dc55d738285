/**
 * Shared BER element reader for ber_data / ber_skip (Snort 3): tag byte(s), then a short or long length.
 */

export interface BerElement {
  readonly tag: number;
  /** Offset of the element's data. */
  readonly data: number;
  readonly length: number;
}

/**
 * Reads the BER element header at `pos`; undefined when truncated or the length field is over 4 bytes.
 *
 * @example
 * readBer(Uint8Array.of(0x30, 0x02, 0x05, 0x00), 0); // { tag: 0x30, data: 2, length: 2 }
 */
export function readBer(buf: Uint8Array, pos: number): BerElement | undefined {
  if (pos < 0 || pos >= buf.length) return undefined;
  let tag = buf[pos++]!;
  if ((tag & 0x1f) === 0x1f) {
    // High tag number: keep Snort's behaviour of comparing the first byte only, but skip the digits.
    let digits = 0;
    while (pos < buf.length && (buf[pos]! & 0x80) !== 0 && ++digits < 4) pos++;
    pos++;
    tag = tag & 0xff;
  }
  if (pos >= buf.length) return undefined;
  let length = buf[pos++]!;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4 || pos + n > buf.length) return undefined;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[pos++]!;
  }
  return { tag, data: pos, length };
}
