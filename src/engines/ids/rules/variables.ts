/**
 * Address and port sets with Snort's variable syntax: `$VAR`, `!negation`, `[nested, lists]`,
 * CIDR blocks, IPv6, port ranges `a:b`, `:b`, `a:`.
 *
 * Sets are normalised at load time into sorted, merged inclusive ranges (negations already applied),
 * so matching is a binary search and the detect stage can index the IPv4 ranges directly.
 * Semantics of a list (Snort 2/3): the union of its positive items minus the union of its negated items;
 * a list with only negated items starts from "everything".
 */
import { err, ok, type Result } from '../../../core/result.js';
import type { AddressSet, PortSet, VariableTable } from './types.js';

const V4_MAX = 0xffffffff;
const V6_MAX = (1n << 128n) - 1n;

interface AddrSpace {
  /** Flat inclusive ranges, sorted and merged. */
  v4: number[];
  v6: bigint[];
}

/**
 * Builds a variable table from a plain record (values as written in snort.lua / snort.conf).
 *
 * @example
 * const vars = createVariableTable({ HOME_NET: '[10.0.0.0/8]', EXTERNAL_NET: '!$HOME_NET' });
 */
export function createVariableTable(values: Readonly<Record<string, string>> = {}): VariableTable {
  return new Map(Object.entries(values));
}

/**
 * Snort 3's stock defaults (snort_defaults.lua) for the variables rules commonly use, so rulesets load
 * without a full configuration. Callers override with their own values (`--var`, config file).
 *
 * @example
 * const vars = snortDefaultVariables(); vars.set('HOME_NET', '10.0.0.0/8');
 */
export function snortDefaultVariables(): VariableTable {
  const httpPorts =
    '80 81 311 383 591 593 901 1220 1414 1741 1830 2301 2381 2809 3037 3128 3702 4343 4848 5250 6988 7000 7001 7144 7145 7510 7777 7779 8000 8008 8014 8028 8080 8085 8088 8090 8118 8123 8180 8181 8243 8280 8300 8800 8888 8899 9000 9060 9080 9090 9091 9443 9999 11371 34443 34444 41080 50002 55555';
  return createVariableTable({
    HOME_NET: 'any',
    EXTERNAL_NET: 'any',
    DNS_SERVERS: '$HOME_NET',
    SMTP_SERVERS: '$HOME_NET',
    HTTP_SERVERS: '$HOME_NET',
    SQL_SERVERS: '$HOME_NET',
    TELNET_SERVERS: '$HOME_NET',
    SSH_SERVERS: '$HOME_NET',
    FTP_SERVERS: '$HOME_NET',
    SIP_SERVERS: '$HOME_NET',
    AIM_SERVERS: 'any',
    HTTP_PORTS: httpPorts,
    SHELLCODE_PORTS: '!80',
    ORACLE_PORTS: '1024:',
    SSH_PORTS: '22',
    FTP_PORTS: '21 2100 3535',
    SIP_PORTS: '5060 5061 5600',
    MAIL_PORTS: '110 143',
    FILE_DATA_PORTS: `$HTTP_PORTS 110 143`,
    GTP_PORTS: '2123 2152 3386',
  });
}

// ---------------------------------------------------------------- interval arithmetic

function normalise<T extends number | bigint>(flat: T[], one: T): T[] {
  // Long lists (ET's IP reputation rules) are usually written in order: then the (stable) sort would
  // change nothing, and the ranges are merged straight from the flat list.
  let sorted = true;
  for (let i = 2; i < flat.length && sorted; i += 2) if (flat[i]! < flat[i - 2]!) sorted = false;
  let starts = flat;
  if (!sorted) {
    const pairs: [T, T][] = [];
    for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
    pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    starts = pairs.flat() as T[];
  }
  const out: T[] = [];
  for (let i = 0; i < starts.length; i += 2) {
    const s = starts[i]!;
    const e = starts[i + 1]!;
    const n = out.length;
    if (n > 0 && (s as bigint) <= ((out[n - 1] as bigint) + (one as bigint))) {
      if (e > out[n - 1]!) out[n - 1] = e;
    } else out.push(s, e);
  }
  return out;
}

function subtract<T extends number | bigint>(a: T[], b: T[], one: T): T[] {
  const out: T[] = [];
  let j = 0;
  for (let i = 0; i < a.length; i += 2) {
    let s = a[i]!;
    const e = a[i + 1]!;
    while (j < b.length && b[j + 1]! < s) j += 2;
    let k = j;
    let alive = true;
    while (k < b.length && b[k]! <= e) {
      const bs = b[k]!;
      const be = b[k + 1]!;
      if (bs > s) out.push(s, ((bs as bigint) - (one as bigint)) as T);
      if (be >= e) {
        alive = false;
        break;
      }
      s = ((be as bigint) + (one as bigint)) as T;
      k += 2;
    }
    if (alive) out.push(s, e);
  }
  return out;
}

// ---------------------------------------------------------------- tokenising lists

/** Splits a list body at top-level commas (and spaces, which Snort allows in port lists). */
function splitList(body: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 0x5b) depth++;
    else if (c === 0x5d) depth--;
    if (depth === 0 && (c === 0x2c || c === 0x20 || c === 0x09)) {
      const item = body.slice(start, i).trim();
      if (item) items.push(item);
      start = i + 1;
    }
  }
  const last = body.slice(start).trim();
  if (last) items.push(last);
  return items;
}

function checkBrackets(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b) depth++;
    else if (c === 0x5d && --depth < 0) return false;
  }
  return depth === 0;
}

interface Resolver {
  readonly vars: VariableTable;
  readonly stack: string[];
}

function lookup(name: string, r: Resolver): Result<string> {
  const value = r.vars.get(name);
  if (value === undefined) return err(`undefined variable $${name}`);
  if (r.stack.includes(name)) return err(`variable $${name} refers to itself (${[...r.stack, name].join(' -> ')})`);
  return ok(value);
}

// ---------------------------------------------------------------- addresses

/** A dotted quad (`\d{1,3}` four times, each at most 255) as a uint32; by hand, since ET lists hold 50,000. */
function parseV4(text: string): number | undefined {
  let v = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      if (++digits > 3) return undefined;
      part = part * 10 + (c - 0x30);
    } else if (c === 0x2e) {
      if (digits === 0 || dots === 3 || part > 255) return undefined;
      v = v * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else return undefined;
  }
  if (dots !== 3 || digits === 0 || part > 255) return undefined;
  return v * 256 + part;
}

/** Parses an IPv6 address (with `::`, embedded IPv4) into a bigint. */
function parseV6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || !text.includes(':')) return undefined;
  let head = text;
  let v4Tail: number | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    v4Tail = parseV4(text.slice(lastColon + 1));
    if (v4Tail === undefined) return undefined;
    head = text.slice(0, lastColon + 1) + '0:0';
  }
  const dbl = head.split('::');
  if (dbl.length > 2) return undefined;
  const left = dbl[0] ? dbl[0].split(':') : [];
  const right = dbl.length === 2 && dbl[1] ? dbl[1].split(':') : [];
  const missing = 8 - left.length - right.length;
  if (dbl.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...left, ...Array<string>(dbl.length === 2 ? missing : 0).fill('0'), ...right];
  let v = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  if (v4Tail !== undefined) v = (v & ~0xffffffffn) | BigInt(v4Tail);
  return v;
}

const scratchRange: number[] = [0, 0];

/**
 * An IPv4 address or CIDR block (`10.0.0.0/8`, `10.0.0.0/255.0.0.0`): true with its inclusive range in
 * `out[0]`, `out[1]`; false when the text is not IPv4; else why the prefix is bad.
 */
function v4Item(text: string, out: number[]): boolean | string {
  const slash = text.indexOf('/');
  const v4 = parseV4(slash >= 0 ? text.slice(0, slash) : text);
  if (v4 === undefined) return false;
  let bits = 32;
  if (slash >= 0) {
    const bitsText = text.slice(slash + 1);
    const asMask = parseV4(bitsText);
    if (asMask !== undefined) {
      bits = 32 - Math.log2(V4_MAX - asMask + 1);
      if (!Number.isInteger(bits)) return `bad netmask in ${JSON.stringify(text)}`;
    } else if (/^\d{1,2}$/.test(bitsText) && Number(bitsText) <= 32) bits = Number(bitsText);
    else return `bad prefix length in ${JSON.stringify(text)}`;
  }
  const size = 2 ** (32 - bits);
  const start = Math.floor(v4 / size) * size;
  out[0] = start;
  out[1] = start + size - 1;
  return true;
}

function addrItem(text: string, r: Resolver): Result<AddrSpace> {
  if (text === 'any') return ok({ v4: [0, V4_MAX], v6: [0n, V6_MAX] });
  if (text.startsWith('!')) {
    const inner = addrItem(text.slice(1).trim(), r);
    if (!inner.ok) return inner;
    return ok({ v4: subtract([0, V4_MAX], inner.value.v4, 1), v6: subtract([0n, V6_MAX], inner.value.v6, 1n) });
  }
  if (text.startsWith('[')) {
    if (!text.endsWith(']')) return err(`address list ${JSON.stringify(text)} is missing its closing ]`);
    return addrList(text.slice(1, -1), r);
  }
  if (text.startsWith('$')) {
    const name = text.slice(1);
    const v = lookup(name, r);
    if (!v.ok) return v;
    r.stack.push(name);
    const res = addrList(v.value, r);
    r.stack.pop();
    return res.ok ? res : err(`in $${name}: ${res.error}`);
  }
  const v4 = v4Item(text, scratchRange);
  if (v4 === true) return ok({ v4: [scratchRange[0]!, scratchRange[1]!], v6: [] });
  if (v4 !== false) return err(v4);
  const slash = text.indexOf('/');
  const host = slash >= 0 ? text.slice(0, slash) : text;
  const bitsText = slash >= 0 ? text.slice(slash + 1) : undefined;
  const v6 = parseV6(host);
  if (v6 !== undefined) {
    let bits = 128;
    if (bitsText !== undefined) {
      if (!/^\d{1,3}$/.test(bitsText) || Number(bitsText) > 128) return err(`bad prefix length in ${JSON.stringify(text)}`);
      bits = Number(bitsText);
    }
    const size = 1n << BigInt(128 - bits);
    const start = (v6 / size) * size;
    return ok({ v4: [], v6: [start, start + size - 1n] });
  }
  return err(`${JSON.stringify(text)} is not an IP address, CIDR block, list or $VARIABLE`);
}

function addrList(body: string, r: Resolver): Result<AddrSpace> {
  const items = splitList(body);
  if (items.length === 0) return err('empty address list');
  let pos4: number[] = [];
  let pos6: bigint[] = [];
  const neg4: number[] = [];
  const neg6: bigint[] = [];
  let positives = 0;
  for (const item of items) {
    const negated = item.startsWith('!');
    // A plain IPv4 address or block (most items of long lists): appended without a result object.
    const c = item.charCodeAt(0);
    if (c >= 0x30 && c <= 0x39 && v4Item(item, scratchRange) === true) {
      positives++;
      pos4.push(scratchRange[0]!, scratchRange[1]!);
      continue;
    }
    const res = addrItem(negated ? item.slice(1).trim() : item, r);
    if (!res.ok) return res;
    // Appended in place: long lists (ET's IP reputation rules) would copy the whole list per item.
    if (negated) {
      for (const x of res.value.v4) neg4.push(x);
      for (const x of res.value.v6) neg6.push(x);
    } else {
      positives++;
      for (const x of res.value.v4) pos4.push(x);
      for (const x of res.value.v6) pos6.push(x);
    }
  }
  if (positives === 0) {
    pos4 = [0, V4_MAX];
    pos6 = [0n, V6_MAX];
  }
  const p4 = normalise(pos4, 1);
  const p6 = normalise(pos6, 1n);
  return ok({ v4: subtract(p4, normalise(neg4, 1), 1), v6: subtract(p6, normalise(neg6, 1n), 1n) });
}

function v6ToBigint(b: Uint8Array): bigint {
  let v = 0n;
  for (let i = 0; i < 16; i += 4) {
    v = (v << 32n) | BigInt(((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0);
  }
  return v;
}

class RangeAddressSet implements AddressSet {
  readonly any: boolean;
  readonly v4Ranges: Uint32Array;
  readonly v6All: boolean;
  readonly v4Count: number;
  private readonly v6: bigint[];

  constructor(
    space: AddrSpace,
    readonly negated: boolean,
    readonly text: string,
  ) {
    this.v4Ranges = Uint32Array.from(space.v4);
    this.v4Count = space.v4.length / 2;
    this.v6 = space.v6;
    this.v6All = space.v6.length === 2 && space.v6[0] === 0n && space.v6[1] === V6_MAX;
    this.any = this.v6All && space.v4.length === 2 && space.v4[0] === 0 && space.v4[1] === V4_MAX;
  }

  matchesV4(ip: number): boolean {
    if (this.any) return true;
    const r = this.v4Ranges;
    let lo = 0;
    let hi = (r.length >> 1) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (ip < r[mid * 2]!) hi = mid - 1;
      else if (ip > r[mid * 2 + 1]!) lo = mid + 1;
      else return true;
    }
    return false;
  }

  matchesV6(ip: Uint8Array): boolean {
    if (this.v6All) return true;
    if (this.v6.length === 0) return false;
    const v = v6ToBigint(ip);
    for (let i = 0; i < this.v6.length; i += 2) if (v >= this.v6[i]! && v <= this.v6[i + 1]!) return true;
    return false;
  }

  matches(ip: number | Uint8Array): boolean {
    return typeof ip === 'number' ? this.matchesV4(ip) : this.matchesV6(ip);
  }
}

/**
 * Parses a rule-header address field (or an ipvar value) into a normalised AddressSet.
 * Returns an error naming the undefined variable or the bad item; never throws.
 *
 * @example
 * const set = parseAddressSet('[10.0.0.0/8,!10.1.0.0/16]', createVariableTable());
 * if (set.ok) set.value.matchesV4(0x0a020304); // true
 */
export function parseAddressSet(text: string, vars: VariableTable): Result<AddressSet> {
  const t = text.trim();
  if (!checkBrackets(t)) return err(`unbalanced brackets in address ${JSON.stringify(t)}`);
  const res = addrList(t, { vars, stack: [] });
  if (!res.ok) return res;
  if (res.value.v4.length === 0 && res.value.v6.length === 0) return err(`address ${JSON.stringify(t)} matches nothing`);
  return ok(new RangeAddressSet(res.value, t.startsWith('!'), t));
}

// ---------------------------------------------------------------- ports

function portNumber(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const n = Number(text);
  return n <= 65535 ? n : undefined;
}

function portItem(text: string, r: Resolver): Result<number[]> {
  if (text === 'any') return ok([0, 65535]);
  if (text.startsWith('!')) {
    const inner = portItem(text.slice(1).trim(), r);
    return inner.ok ? ok(subtract([0, 65535], inner.value, 1)) : inner;
  }
  if (text.startsWith('[')) {
    if (!text.endsWith(']')) return err(`port list ${JSON.stringify(text)} is missing its closing ]`);
    return portList(text.slice(1, -1), r);
  }
  if (text.startsWith('$')) {
    const name = text.slice(1);
    const v = lookup(name, r);
    if (!v.ok) return v;
    r.stack.push(name);
    const res = portList(v.value, r);
    r.stack.pop();
    return res.ok ? res : err(`in $${name}: ${res.error}`);
  }
  const colon = text.indexOf(':');
  if (colon >= 0) {
    const a = colon === 0 ? 0 : portNumber(text.slice(0, colon));
    const b = colon === text.length - 1 ? 65535 : portNumber(text.slice(colon + 1));
    if (a === undefined || b === undefined || a > b) return err(`bad port range ${JSON.stringify(text)}`);
    return ok([a, b]);
  }
  const p = portNumber(text);
  if (p === undefined) return err(`${JSON.stringify(text)} is not a port, range, list or $VARIABLE`);
  return ok([p, p]);
}

function portList(body: string, r: Resolver): Result<number[]> {
  const items = splitList(body);
  if (items.length === 0) return err('empty port list');
  let pos: number[] = [];
  const neg: number[] = [];
  let positives = 0;
  for (const item of items) {
    const negated = item.startsWith('!');
    const res = portItem(negated ? item.slice(1).trim() : item, r);
    if (!res.ok) return res;
    if (negated) for (const x of res.value) neg.push(x);
    else {
      positives++;
      for (const x of res.value) pos.push(x);
    }
  }
  if (positives === 0) pos = [0, 65535];
  return ok(subtract(normalise(pos, 1), normalise(neg, 1), 1));
}

class RangePortSet implements PortSet {
  readonly any: boolean;
  readonly ranges: Uint16Array;
  constructor(
    flat: number[],
    readonly negated: boolean,
    readonly text: string,
  ) {
    this.ranges = Uint16Array.from(flat);
    this.any = flat.length === 2 && flat[0] === 0 && flat[1] === 65535;
  }
  matches(port: number): boolean {
    if (this.any) return true;
    const r = this.ranges;
    for (let i = 0; i < r.length; i += 2) {
      if (port < r[i]!) return false;
      if (port <= r[i + 1]!) return true;
    }
    return false;
  }
}

/**
 * Parses a rule-header port field (or a portvar value) into a normalised PortSet; never throws.
 *
 * @example
 * const p = parsePortSet('[1024:,!6000:6010]', createVariableTable());
 * if (p.ok) p.value.matches(6005); // false
 */
export function parsePortSet(text: string, vars: VariableTable): Result<PortSet> {
  const t = text.trim();
  if (!checkBrackets(t)) return err(`unbalanced brackets in port ${JSON.stringify(t)}`);
  const res = portList(t, { vars, stack: [] });
  if (!res.ok) return res;
  if (res.value.length === 0) return err(`port ${JSON.stringify(t)} matches nothing`);
  return ok(new RangePortSet(res.value, t.startsWith('!'), t));
}
