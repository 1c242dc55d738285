/**
 * `xbits:set|unset|toggle|isset|isnotset,name,track ip_src|ip_dst|ip_pair[,expire N]` (Suricata) — like
 * flowbits, but kept per host or host pair across flows, optionally expiring N seconds (packet time) after
 * being set. `xbits:noalert` suppresses the alert. Setters act only when the whole rule matches.
 */
import { err, ok } from '../../../../core/result.js';
import type { Packet } from '../../types.js';
import { defineOption } from './types.js';
import { parseIntArg } from './util.js';

export interface XbitsCfg {
  readonly command: 'set' | 'unset' | 'toggle' | 'isset' | 'isnotset' | 'noalert';
  readonly name: string;
  readonly track: 'ip_src' | 'ip_dst' | 'ip_pair';
  readonly expire: number;
}

function ipText(ip: number | Uint8Array): string {
  return typeof ip === 'number' ? String(ip) : Buffer.from(ip).toString('hex');
}

/** The host-table key of a bit for this packet, or undefined without IP. */
export function xbitKey(c: XbitsCfg, p: Packet): string | undefined {
  const ip = p.ip;
  if (!ip) return undefined;
  const src = ipText(ip.src);
  const dst = ipText(ip.dst);
  const who = c.track === 'ip_src' ? src : c.track === 'ip_dst' ? dst : src < dst ? `${src}-${dst}` : `${dst}-${src}`;
  return `${c.name}\u0000${c.track}\u0000${who}`;
}

/** Upper bound on remembered host bits; beyond it expired, then oldest, entries are dropped. */
export const MAX_HOST_BITS = 65536;

function prune(bits: Map<string, number>, t: number): void {
  for (const [k, until] of bits) if (until < t) bits.delete(k);
  for (const k of bits.keys()) {
    if (bits.size < MAX_HOST_BITS * 0.9) break;
    bits.delete(k);
  }
}

function now(p: Packet): number {
  return p.raw.tsSec + p.raw.tsUsec / 1e6;
}

export const xbits = defineOption<XbitsCfg>({
  name: 'xbits',
  kind: 'match',
  help: 'set, clear or test named bits kept per host or host pair (across flows), with optional expiry',
  params: [
    { name: 'command', type: 'enum', help: 'what to do', values: ['set', 'unset', 'toggle', 'isset', 'isnotset', 'noalert'] },
    { name: 'name', type: 'string', help: 'bit name' },
    { name: 'track', type: 'enum', help: 'where the bit lives', values: ['ip_src', 'ip_dst', 'ip_pair'] },
    { name: 'expire', type: 'int', help: 'seconds after set (packet time)' },
  ],
  parse(args) {
    const parts = (args ?? '').split(',').map((p) => p.trim());
    const command = parts[0] as XbitsCfg['command'];
    if (command === 'noalert') return parts.length === 1 ? ok({ command, name: '', track: 'ip_src', expire: 0 }) : err('xbits:noalert takes nothing else');
    if (!['set', 'unset', 'toggle', 'isset', 'isnotset'].includes(command)) return err(`unknown xbits command ${JSON.stringify(parts[0] ?? '')}`);
    const name = parts[1];
    if (!name || !/^[\w.\-:/+]+$/.test(name)) return err('xbits needs a bit name');
    let track: XbitsCfg['track'] | undefined;
    let expire = 0;
    for (const item of parts.slice(2)) {
      const [w, v] = item.split(/\s+/, 2) as [string, string | undefined];
      if (w === 'track' && (v === 'ip_src' || v === 'ip_dst' || v === 'ip_pair')) track = v;
      else if (w === 'expire') {
        const n = parseIntArg(v, 1, 0x7fffffff);
        if (n === undefined) return err('expire needs a number of seconds');
        expire = n;
      } else return err(`bad xbits item ${JSON.stringify(item)}`);
    }
    if (!track) return err('xbits needs track ip_src, ip_dst or ip_pair');
    return ok({ command, name, track, expire });
  },
  key: (c) => `${c.command},${c.name},${c.track},${c.expire}`,
  apply(c, b) {
    if (c.command === 'noalert') b.noalert = true;
    return undefined;
  },
  eval(c, m) {
    if (c.command !== 'isset' && c.command !== 'isnotset') return true;
    const key = xbitKey(c, m.pkt);
    const until = key === undefined ? undefined : m.state.hostBits.get(key);
    const set = until !== undefined && until >= now(m.pkt);
    return c.command === 'isset' ? set : !set;
  },
  onMatch(c, m) {
    if (c.command === 'isset' || c.command === 'isnotset' || c.command === 'noalert') return;
    const key = xbitKey(c, m.pkt);
    if (key === undefined) return;
    const bits = m.state.hostBits;
    const t = now(m.pkt);
    const isSet = (bits.get(key) ?? -Infinity) >= t;
    if (c.command === 'unset' || (c.command === 'toggle' && isSet)) bits.delete(key);
    else {
      if (bits.size >= MAX_HOST_BITS) prune(bits, t);
      bits.delete(key); // re-insert so Map order stays oldest-first
      bits.set(key, c.expire > 0 ? t + c.expire : Infinity);
    }
  },
});
