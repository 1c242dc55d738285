/**
 * `flags` — TCP flag test: `flags:[+|*|!]FSRPAUCE0[,mask]` (1/2 are Snort 2 names for C/E).
 * No modifier: exactly these flags (ignoring mask bits); `+` these and maybe others; `*` any of these;
 * `!` none of these.
 */
import { err, ok } from '../../../../core/result.js';
import { defineOption, type MatchContext } from './types.js';

const BITS: Readonly<Record<string, number>> = { F: 0x01, S: 0x02, R: 0x04, P: 0x08, A: 0x10, U: 0x20, E: 0x40, C: 0x80, '2': 0x40, '1': 0x80, '0': 0 };

export interface BitTestCfg {
  readonly mode: '' | '+' | '*' | '!';
  readonly bits: number;
  readonly mask: number;
}

function parseBits(text: string, table: Readonly<Record<string, number>>): number | undefined {
  let v = 0;
  for (const ch of text.toUpperCase()) {
    const b = table[ch];
    if (b === undefined) return undefined;
    v |= b;
  }
  return v;
}

/** Shared by flags and fragbits. */
export function parseBitTest(args: string | undefined, table: Readonly<Record<string, number>>, what: string): ReturnType<typeof ok<BitTestCfg>> | ReturnType<typeof err<string>> {
  if (args === undefined || args.trim() === '') return err(`${what} needs flag letters`);
  const [spec, maskText] = args.split(',').map((s) => s.trim()) as [string, string | undefined];
  let mode: BitTestCfg['mode'] = '';
  let letters = spec;
  const lead = /^[+*!]/.exec(spec);
  const trail = /[+*!]$/.exec(spec);
  if (lead) {
    mode = lead[0] as BitTestCfg['mode'];
    letters = spec.slice(1);
  } else if (trail) {
    mode = trail[0] as BitTestCfg['mode'];
    letters = spec.slice(0, -1);
  }
  if (letters === '') return err(`${what} needs flag letters`);
  const bits = parseBits(letters, table);
  if (bits === undefined) return err(`bad ${what} letters ${JSON.stringify(letters)}`);
  let mask = 0;
  if (maskText !== undefined) {
    const mk = parseBits(maskText, table);
    if (mk === undefined) return err(`bad ${what} mask ${JSON.stringify(maskText)}`);
    mask = mk;
  }
  return ok({ mode, bits, mask });
}

export function testBits(c: BitTestCfg, value: number): boolean {
  const v = value & ~c.mask & 0xff;
  switch (c.mode) {
    case '':
      return v === c.bits;
    case '+':
      return (v & c.bits) === c.bits;
    case '*':
      return (v & c.bits) !== 0;
    case '!':
      return (v & c.bits) === 0;
  }
}

export const flags = defineOption<BitTestCfg>({
  name: 'flags',
  kind: 'match',
  help: 'test TCP flags (F S R P A U C E, 0 for none) with + (all of), * (any of), ! (none of) and an ignore mask',
  params: [
    { name: 'flags', type: 'string', help: '[+*!]letters' },
    { name: 'mask', type: 'string', help: 'flags to ignore' },
  ],
  parse: (args) => parseBitTest(args, BITS, 'flags'),
  key: (c) => `${c.mode}${c.bits},${c.mask}`,
  eval: evalFlags,
});

/** Evaluates a `flags` option (exported for the rule evaluator's direct dispatch). */
export function evalFlags(c: BitTestCfg, m: MatchContext): boolean {
  const tcp = m.pkt.tcp;
  return tcp !== undefined && testBits(c, tcp.flags);
}
