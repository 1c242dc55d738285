/**
 * iptables: IPv4 packet filter rules. osquery reads them with libiptc; we parse the output of
 * `iptables-save -c`, which prints the same tables, chains, policies, rules and counters (and
 * also sees rules of the nftables-backed iptables that /proc/net/ip_tables_names misses).
 * Without iptables-save (or without the privilege to run it) the table is empty.
 */
import { findTool, runTool } from '../common/run-tool.js';
import { readTextOr } from '../common/sysfs.js';
import type { QueryContext, Row, TableImpl } from '../../types.js';

/** Protocol names iptables-save may print when /etc/protocols lacks them. */
const BUILTIN_PROTOCOLS: Record<string, number> = { all: 0, icmp: 1, igmp: 2, tcp: 6, udp: 17, gre: 47, esp: 50, ah: 51, icmpv6: 58, sctp: 132, udplite: 136 };

/** Parses /etc/protocols into name (and alias) -> number. */
export function parseProtocolNumbers(text: string): Map<string, number> {
  const map = new Map<string, number>(Object.entries(BUILTIN_PROTOCOLS));
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    const [name, num, ...aliases] = line.split(/\s+/);
    const n = Number(num);
    if (!Number.isInteger(n)) continue;
    for (const key of [name, ...aliases]) if (!map.has(key.toLowerCase())) map.set(key.toLowerCase(), n);
  }
  return map;
}

function prefixToMask(bits: number): string {
  const m = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return [m >>> 24, (m >>> 16) & 0xff, (m >>> 8) & 0xff, m & 0xff].join('.');
}

function splitAddress(value: string | undefined): [string, string] {
  if (value === undefined) return ['0.0.0.0', '0.0.0.0'];
  const [ip, mask] = value.split('/');
  if (mask === undefined) return [ip, '255.255.255.255'];
  return [ip, mask.includes('.') ? mask : prefixToMask(Number(mask))];
}

/** libiptc's interface mask, printed as osquery does: FF per matched byte, the NUL included unless the name ends in '+'. */
function ifaceMask(name: string | undefined): string {
  if (name === undefined) return '';
  const bytes = name.endsWith('+') ? name.length - 1 : name.length + 1;
  return 'FF'.repeat(Math.min(bytes, 16));
}

/** osquery's port column: "lo:hi" from a tcp/udp match, the full range when the match sets none. */
function portRange(value: string | undefined, hasMatch: boolean): string {
  if (value === undefined) return hasMatch ? '0:65535' : '';
  const [lo, hi] = value.split(':');
  return `${lo === '' ? '0' : lo}:${hi === undefined ? lo : hi === '' ? '65535' : hi}`;
}

/** Splits a rule line into arguments, honouring iptables-save's double quotes. */
function tokenize(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]);
  return out;
}

/**
 * Parses `iptables-save -c` output into osquery rows: one per rule, and one per chain that has no
 * rules (so every chain and its policy is visible).
 *
 * @example
 * parseIptablesSave('*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\nCOMMIT\n', protocols);
 */
export function parseIptablesSave(text: string, protocols: ReadonlyMap<string, number>): Row[] {
  const rows: Row[] = [];
  let table = '';
  let chains = new Map<string, { policy: string; packets: number; bytes: number; rules: Row[] }>();
  const flush = () => {
    for (const [chain, c] of chains) {
      if (c.rules.length > 0) rows.push(...c.rules);
      else rows.push(emptyChainRow(table, chain, c.policy, c.packets, c.bytes));
    }
    chains = new Map();
  };
  for (const raw of text.split('\n')) {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('*')) {
      flush();
      table = line.slice(1);
      continue;
    }
    if (line === 'COMMIT') {
      flush();
      continue;
    }
    const chainDecl = /^:(\S+)\s+(\S+)(?:\s+\[(\d+):(\d+)\])?/.exec(line);
    if (chainDecl) {
      chains.set(chainDecl[1], {
        policy: chainDecl[2] === '-' ? '' : chainDecl[2],
        packets: Number(chainDecl[3] ?? 0),
        bytes: Number(chainDecl[4] ?? 0),
        rules: [],
      });
      continue;
    }
    let packets = 0;
    let bytes = 0;
    const counters = /^\[(\d+):(\d+)\]\s+/.exec(line);
    if (counters) {
      packets = Number(counters[1]);
      bytes = Number(counters[2]);
      line = line.slice(counters[0].length);
    }
    const args = tokenize(line);
    if (args[0] !== '-A' || args[1] === undefined) continue;
    const chain = args[1];
    const opts = new Map<string, string>();
    const matches = new Set<string>();
    for (let i = 2; i < args.length; i++) {
      const a = args[i];
      if (a === '!') continue;
      if (a === '-m' || a === '--match') {
        matches.add(args[++i] ?? '');
      } else if (a.startsWith('-') && i + 1 < args.length && !args[i + 1].startsWith('-')) {
        if (!opts.has(a)) opts.set(a, args[i + 1]);
        i++;
      } else {
        opts.set(a, '');
      }
    }
    const proto = (opts.get('-p') ?? opts.get('--protocol') ?? 'all').toLowerCase();
    const portMatch = matches.has('tcp') || matches.has('udp');
    const [srcIp, srcMask] = splitAddress(opts.get('-s') ?? opts.get('--source'));
    const [dstIp, dstMask] = splitAddress(opts.get('-d') ?? opts.get('--destination'));
    const iniface = opts.get('-i') ?? opts.get('--in-interface');
    const outiface = opts.get('-o') ?? opts.get('--out-interface');
    const c = chains.get(chain) ?? { policy: '', packets: 0, bytes: 0, rules: [] };
    chains.set(chain, c);
    c.rules.push({
      filter_name: table,
      chain,
      policy: c.policy,
      target: opts.get('-j') ?? opts.get('--jump') ?? opts.get('-g') ?? opts.get('--goto') ?? '',
      protocol: protocols.get(proto) ?? (Number.isInteger(Number(proto)) ? Number(proto) : 0),
      src_port: portRange(opts.get('--sport') ?? opts.get('--source-port'), portMatch),
      dst_port: portRange(opts.get('--dport') ?? opts.get('--destination-port'), portMatch),
      src_ip: srcIp,
      src_mask: srcMask,
      iniface: iniface ?? 'all',
      iniface_mask: ifaceMask(iniface),
      dst_ip: dstIp,
      dst_mask: dstMask,
      outiface: outiface ?? 'all',
      outiface_mask: ifaceMask(outiface),
      match: 'yes',
      packets,
      bytes,
    });
  }
  flush();
  return rows;
}

function emptyChainRow(table: string, chain: string, policy: string, packets: number, bytes: number): Row {
  return {
    filter_name: table, chain, policy, target: '', protocol: 0, src_port: '', dst_port: '',
    src_ip: '', src_mask: '', iniface: '', iniface_mask: '', dst_ip: '', dst_mask: '',
    outiface: '', outiface_mask: '', match: '', packets, bytes,
  };
}

/** Generator for osquery's `iptables` table. */
export const iptables: TableImpl = {
  name: 'iptables',
  generate(ctx: QueryContext) {
    const tool = findTool('iptables-save');
    if (tool === undefined) return [];
    const r = runTool(tool, ['-c']);
    if (r.error || r.status !== 0) {
      ctx.warn(`iptables: ${tool} -c failed: ${(r.error?.message ?? r.stderr.trim()) || `exit ${r.status}`}`);
      return [];
    }
    return parseIptablesSave(r.stdout, parseProtocolNumbers(readTextOr('/etc/protocols') ?? ''));
  },
};
