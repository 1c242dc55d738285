/**
 * Argument helpers shared by option parsers: splitting, integers, comparisons, byte reading.
 * Everything returns Result or undefined; nothing throws on bad input.
 */
import { err, ok, type Result } from '../../../../core/result.js';
import type { MatchContext, ParseContext } from './types.js';

/** Splits option arguments at commas outside double quotes. */
export function splitArgs(args: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inQuote = false;
  for (let i = 0; i < args.length; i++) {
    const ch = args[i]!;
    if (ch === '\\' && i + 1 < args.length) {
      cur += ch + args[i + 1]!;
      i++;
      continue;
    }
    if (ch === '"') inQuote = !inQuote;
    if (ch === ',' && !inQuote) {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  out.push(cur.trim());
  return out;
}

/** Parses a decimal (or 0x hex) integer within [min, max]. */
export function parseIntArg(text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  let n: number;
  if (/^[-+]?\d+$/.test(t)) n = Number(t);
  else if (/^0x[0-9a-f]+$/i.test(t)) n = parseInt(t.slice(2), 16);
  else return undefined;
  if (!Number.isSafeInteger(n) || n < min || n > max) return undefined;
  return n;
}

/** A number written literally, or a byte_extract/byte_math variable resolved at evaluation time. */
export interface NumOrVar {
  readonly value: number;
  /** Slot in EvalState.vars, or -1 for a literal. */
  readonly slot: number;
  readonly name: string | undefined;
}

export function numOrVar(text: string | undefined, ctx: ParseContext, min: number, max: number): Result<NumOrVar> {
  if (text === undefined || text.trim() === '') return err('a number is missing');
  const t = text.trim();
  const n = parseIntArg(t, min, max);
  if (n !== undefined) return ok({ value: n, slot: -1, name: undefined });
  const slot = ctx.byteVars.get(t);
  if (slot !== undefined) return ok({ value: 0, slot, name: t });
  if (/^[A-Za-z_][\w.-]*$/.test(t)) return err(`unknown variable ${JSON.stringify(t)} (define it with byte_extract first)`);
  return err(`${JSON.stringify(t)} is not a number in ${min}..${max}`);
}

export function resolveNum(v: NumOrVar, m: MatchContext): number {
  return v.slot < 0 ? v.value : m.state.vars[v.slot]!;
}

export function numKey(v: NumOrVar | undefined): string {
  return v === undefined ? '' : v.slot < 0 ? String(v.value) : `$${v.name}`;
}

export type CompareOp = '=' | '!' | '<' | '>' | '<=' | '>=' | '<>' | '<=>' | '&' | '^';

/** A numeric comparison as written by dsize, ttl, tos, id, icmp_*, urilen, bsize... */
export interface Comparison {
  readonly op: CompareOp;
  readonly a: number;
  /** Upper bound for range operators. */
  readonly b: number;
}

/**
 * Parses `N`, `!N`, `<N`, `>N`, `<=N`, `>=N`, `N<>M`, `N<=>M` and Snort 2's `N-M`, `-N`, `N-` ranges.
 */
export function parseComparison(args: string | undefined, max: number): Result<Comparison> {
  if (args === undefined) return err('a value is missing');
  const t = args.replace(/\s+/g, '');
  let m = /^(\d+)(<=>|<>)(\d+)$/.exec(t);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[3]);
    if (a > max || b > max || a > b) return err(`bad range ${JSON.stringify(args)} (0..${max}, low <= high)`);
    return ok({ op: m[2] as CompareOp, a, b });
  }
  m = /^(\d+)-(\d+)$/.exec(t);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (a > max || b > max || a > b) return err(`bad range ${JSON.stringify(args)}`);
    return ok({ op: '<=>', a, b });
  }
  m = /^-(\d+)$/.exec(t);
  if (m && Number(m[1]) <= max) return ok({ op: '<=', a: Number(m[1]), b: 0 });
  m = /^(\d+)-$/.exec(t);
  if (m && Number(m[1]) <= max) return ok({ op: '>=', a: Number(m[1]), b: 0 });
  m = /^(<=|>=|<|>|=|!=|!)?(\d+)$/.exec(t);
  if (m) {
    const a = Number(m[2]);
    if (a > max) return err(`${a} is out of range 0..${max}`);
    const op = (m[1] === '!=' ? '!' : (m[1] ?? '=')) as CompareOp;
    return ok({ op, a, b: 0 });
  }
  return err(`${JSON.stringify(args)} is not a comparison like N, <N, >N, N<>M`);
}

export function compare(c: Comparison, v: number): boolean {
  switch (c.op) {
    case '=':
      return v === c.a;
    case '!':
      return v !== c.a;
    case '<':
      return v < c.a;
    case '>':
      return v > c.a;
    case '<=':
      return v <= c.a;
    case '>=':
      return v >= c.a;
    case '<>':
      return v > c.a && v < c.b;
    case '<=>':
      return v >= c.a && v <= c.b;
    case '&':
      return (v & c.a) !== 0;
    case '^':
      return (v ^ c.a) !== 0;
  }
}

export function comparisonKey(c: Comparison): string {
  return c.op === '<>' || c.op === '<=>' ? `${c.a}${c.op}${c.b}` : `${c.op}${c.a}`;
}

/** Reads `n` (1..4, or 8 for byte_math-less readers) bytes as an unsigned number; undefined when out of bounds. */
export function readBinary(buf: Uint8Array, pos: number, n: number, little: boolean): number | undefined {
  if (pos < 0 || pos + n > buf.length) return undefined;
  let v = 0;
  if (little) for (let i = n - 1; i >= 0; i--) v = v * 256 + buf[pos + i]!;
  else for (let i = 0; i < n; i++) v = v * 256 + buf[pos + i]!;
  return v;
}

/** Reads `n` ASCII digits in `base`; undefined when out of bounds or no digit. Mirrors strtoul on the slice. */
export function readString(buf: Uint8Array, pos: number, n: number, base: number): number | undefined {
  if (pos < 0 || n <= 0 || pos + n > buf.length) return undefined;
  let v = 0;
  let digits = 0;
  let i = pos;
  const end = pos + n;
  while (i < end && (buf[i] === 0x20 || buf[i] === 0x09)) i++;
  for (; i < end; i++) {
    const c = buf[i]!;
    let d: number;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if (c >= 0x61 && c <= 0x66) d = c - 0x61 + 10;
    else if (c >= 0x41 && c <= 0x46) d = c - 0x41 + 10;
    else break;
    if (d >= base) break;
    v = v * base + d;
    digits++;
  }
  return digits === 0 ? undefined : v;
}

/** Options shared by byte_test / byte_jump / byte_extract / byte_math. */
export interface ByteReadCfg {
  bytes: number;
  relative: boolean;
  little: boolean;
  /** 0 = binary, else the base of a string number (8, 10, 16). */
  base: number;
  dce: boolean;
  bitmask: number;
}

export function readValue(cfg: ByteReadCfg, buf: Uint8Array, pos: number): number | undefined {
  let v = cfg.base === 0 ? readBinary(buf, pos, cfg.bytes, cfg.little) : readString(buf, pos, cfg.bytes, cfg.base);
  if (v === undefined) return undefined;
  if (cfg.bitmask !== 0) {
    let mask = cfg.bitmask;
    v = Number(BigInt(v) & BigInt(mask));
    // Snort shifts the result right by the number of trailing zero bits of the mask.
    while (mask !== 0 && (mask & 1) === 0) {
      mask = Math.floor(mask / 2);
      v = Math.floor(v / 2);
    }
  }
  return v;
}

/**
 * Consumes the common byte_* flags from an argument list (relative, big, little, string, hex, dec, oct,
 * dce, bitmask N). Returns the remaining unknown args or an error.
 */
export function parseByteFlags(args: readonly string[], cfg: ByteReadCfg): Result<string[]> {
  const rest: string[] = [];
  let isString = false;
  let base = 0;
  for (const raw of args) {
    const a = raw.trim();
    const [word, value] = a.split(/\s+/, 2) as [string, string | undefined];
    switch (word) {
      case 'relative':
        cfg.relative = true;
        break;
      case 'big':
        cfg.little = false;
        break;
      case 'little':
        cfg.little = true;
        break;
      case 'string':
        isString = true;
        if (value) base = value === 'hex' ? 16 : value === 'oct' ? 8 : value === 'dec' ? 10 : -1;
        break;
      case 'hex':
        base = 16;
        break;
      case 'dec':
        base = 10;
        break;
      case 'oct':
        base = 8;
        break;
      case 'dce':
        cfg.dce = true;
        cfg.little = true;
        break;
      case 'bitmask': {
        const n = value === undefined ? undefined : parseIntArg(value, 1, 0xffffffff);
        if (n === undefined) return err(`bad bitmask ${JSON.stringify(value ?? '')}`);
        cfg.bitmask = n;
        break;
      }
      default:
        rest.push(a);
    }
  }
  if (base === -1) return err('string takes hex, dec or oct');
  if (isString) cfg.base = base === 0 ? 10 : base;
  else if (base !== 0) return err('hex/dec/oct need the string flag');
  return ok(rest);
}

export function byteFlagsKey(c: ByteReadCfg): string {
  return `${c.bytes},${c.relative ? 'rel' : ''},${c.little ? 'le' : 'be'},${c.base},${c.dce ? 'dce' : ''},${c.bitmask}`;
}

/** Removes surrounding double quotes. */
export function unquote(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) return t.slice(1, -1);
  return t;
}
