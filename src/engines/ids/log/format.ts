/**
 * Alert text formats, byte for byte like Snort 3's loggers:
 *   alert_fast  `MM/DD-HH:MM:SS.uuuuuu [**] [gid:sid:rev] "msg" [**] [Classification: c] [Priority: p] {PROTO} src:sp -> dst:dp`
 *   alert_json  `{ "timestamp" : "...", "pkt_num" : 1, ... }` with Snort 3's field names, spacing and default order
 *   alert_full  the multi-line form with IP and transport header details
 *
 * Timestamps are printed in UTC (what Snort prints with `-U`, or on a UTC host).
 */
import { IPPROTO, TCP_FLAG, type AlertEvent, type Packet } from '../types.js';

/** An alert as the loggers see it: the event plus its rule's references and the action taken. */
export interface LoggedAlert extends AlertEvent {
  readonly references?: readonly { readonly system: string; readonly id: string }[];
  /**
   * What happened to the packet, in Snort 3's words for alert_json's `action` field: 'allow' (IDS mode),
   * 'would_drop' (a drop rule in IDS mode), 'drop', 'block', 'reject'...
   */
  readonly verdict?: string;
  /**
   * The classification's description ("Attempted Information Leak"), which Snort prints instead of
   * the short classtype name when classification data knows it.
   */
  readonly classtypeName?: string | undefined;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** `MM/DD-HH:MM:SS.uuuuuu` in UTC, as Snort's LogTimeStamp. */
export function formatTimestamp(tsSec: number, tsUsec: number): string {
  const d = new Date(tsSec * 1000);
  return `${pad2(d.getUTCMonth() + 1)}/${pad2(d.getUTCDate())}-${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.${String(tsUsec).padStart(6, '0')}`;
}

/** Dotted-quad for an IPv4 number. */
export function formatIpv4(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 0xff}.${(ip >>> 8) & 0xff}.${ip & 0xff}`;
}

/** RFC 5952 text for a 16-byte IPv6 address (longest zero run compressed, lower-case hex). */
export function formatIpv6(b: Uint8Array): string {
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((b[i]! << 8) | b[i + 1]!);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return g.map((x) => x.toString(16)).join(':');
  const head = g.slice(0, bestStart).map((x) => x.toString(16)).join(':');
  const tail = g.slice(bestStart + bestLen).map((x) => x.toString(16)).join(':');
  return `${head}::${tail}`;
}

function srcAddr(p: Packet): string | undefined {
  if (p.ip === undefined) return undefined;
  return p.ip.version === 4 ? formatIpv4(p.ip.src) : formatIpv6(p.ip.src);
}

function dstAddr(p: Packet): string | undefined {
  if (p.ip === undefined) return undefined;
  return p.ip.version === 4 ? formatIpv4(p.ip.dst) : formatIpv6(p.ip.dst);
}

/** Snort's Packet::get_type(): the protocol label in `{...}` and the JSON `proto` field. */
export function packetType(p: Packet): string {
  if (p.ip === undefined) return p.layers.includes('arp') ? 'ARP' : 'ETH';
  if (p.tcp !== undefined) return 'TCP';
  if (p.udp !== undefined) return 'UDP';
  if (p.icmp !== undefined) return 'ICMP';
  return 'IP';
}

function hasPorts(p: Packet): boolean {
  return p.tcp !== undefined || p.udp !== undefined;
}

/** `src:sp -> dst:dp` (or without ports), as Snort's LogIpAddrs. */
export function formatAddrs(p: Packet): string {
  const s = srcAddr(p);
  const d = dstAddr(p);
  if (s === undefined || d === undefined) return '';
  return hasPorts(p) ? `${s}:${p.srcPort} -> ${d}:${p.dstPort}` : `${s} -> ${d}`;
}

/** Snort's message as logged: quoted, with the rule's escapes kept. */
function quotedMsg(msg: string): string {
  return `"${msg.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * One alert_fast line (without the newline).
 *
 * @example
 * formatFast(ev); // '11/23-04:55:04.123456 [**] [1:1000:1] "test" [**] [Priority: 3] {TCP} 10.0.0.1:1234 -> 10.0.0.2:80'
 */
export function formatFast(ev: LoggedAlert): string {
  const p = ev.packet;
  const action = ev.verdict !== undefined && ev.verdict !== 'allow' ? ` [${ev.verdict}]` : '';
  const cls = ev.classtype !== undefined ? `[Classification: ${ev.classtypeName ?? ev.classtype}] ` : '';
  return `${formatTimestamp(p.raw.tsSec, p.raw.tsUsec)}${action} [**] [${ev.gid}:${ev.sid}:${ev.rev}] ${quotedMsg(ev.msg)} [**] ${cls}[Priority: ${ev.priority}] {${packetType(p)}} ${formatAddrs(p)}`;
}

/** Snort 3 alert_json `dir`: C2S / S2C / UNK. */
function dirLabel(p: Packet): string {
  return p.direction === 'client' ? 'C2S' : p.direction === 'server' ? 'S2C' : 'UNK';
}

/** Snort's pkt_len: the IP datagram length when there is IP, else the payload size. */
function pktLen(p: Packet): number {
  if (p.ip === undefined) return p.payload.length;
  if (p.ip.version === 4) return p.ip.totalLen;
  // IPv6: header + payload as captured in the packet (dgram_len)
  return 40 + (p.raw.data.length > 0 ? Math.max(0, ipv6PayloadLen(p)) : 0);
}

function ipv6PayloadLen(p: Packet): number {
  // The decoder does not keep the IPv6 payload length; derive it from the transport layer sizes.
  const l4 = p.tcp !== undefined ? p.tcp.headerLen : p.udp !== undefined ? 8 : p.icmp !== undefined ? 8 : 0;
  return l4 + p.payload.length;
}

/** The default alert_json fields required by the issue, in Snort 3's order. */
export const JSON_FIELDS = [
  'timestamp',
  'pkt_num',
  'proto',
  'pkt_len',
  'dir',
  'src_addr',
  'src_port',
  'dst_addr',
  'dst_port',
  'gid',
  'sid',
  'rev',
  'msg',
  'class',
  'priority',
  'action',
] as const;

/**
 * One alert_json line (without the newline) in Snort 3's layout: `{ "k" : v, "k2" : v2 }`.
 * Fields that do not apply to the packet (ports without TCP/UDP, addresses without IP) are left out, as Snort does.
 */
export function formatJson(ev: LoggedAlert, fields: readonly string[] = JSON_FIELDS): string {
  const p = ev.packet;
  let out = '{';
  let comma = false;
  const put = (label: string, value: string) => {
    out += `${comma ? ',' : ''} "${label}" : ${value}`;
    comma = true;
  };
  for (const f of fields) {
    switch (f) {
      case 'timestamp':
        put(f, `"${formatTimestamp(p.raw.tsSec, p.raw.tsUsec)}"`);
        break;
      case 'seconds':
        put(f, String(p.raw.tsSec));
        break;
      case 'pkt_num':
        put(f, String(p.raw.num));
        break;
      case 'proto':
        put(f, `"${packetType(p)}"`);
        break;
      case 'pkt_len':
        put(f, String(pktLen(p)));
        break;
      case 'dir':
        put(f, `"${dirLabel(p)}"`);
        break;
      case 'src_addr': {
        const s = srcAddr(p);
        if (s !== undefined) put(f, `"${s}"`);
        break;
      }
      case 'dst_addr': {
        const d = dstAddr(p);
        if (d !== undefined) put(f, `"${d}"`);
        break;
      }
      case 'src_port':
        if (hasPorts(p)) put(f, String(p.srcPort));
        break;
      case 'dst_port':
        if (hasPorts(p)) put(f, String(p.dstPort));
        break;
      case 'src_ap':
        put(f, `"${srcAddr(p) ?? ''}:${hasPorts(p) ? p.srcPort : 0}"`);
        break;
      case 'dst_ap':
        put(f, `"${dstAddr(p) ?? ''}:${hasPorts(p) ? p.dstPort : 0}"`);
        break;
      case 'rule':
        put(f, `"${ev.gid}:${ev.sid}:${ev.rev}"`);
        break;
      case 'gid':
        put(f, String(ev.gid));
        break;
      case 'sid':
        put(f, String(ev.sid));
        break;
      case 'rev':
        put(f, String(ev.rev));
        break;
      case 'msg':
        put(f, quotedMsg(ev.msg));
        break;
      case 'class':
        put(f, JSON.stringify(ev.classtypeName ?? ev.classtype ?? 'none'));
        break;
      case 'priority':
        put(f, String(ev.priority));
        break;
      case 'action':
        put(f, `"${ev.verdict ?? 'allow'}"`);
        break;
      case 'service':
        put(f, `"${p.flow?.service ?? 'unknown'}"`);
        break;
      case 'ttl':
        if (p.ip !== undefined) put(f, String(p.ip.version === 4 ? p.ip.ttl : p.ip.hopLimit));
        break;
      case 'tcp_flags':
        if (p.tcp !== undefined) put(f, `"${tcpFlagString(p.tcp.flags)}"`);
        break;
      case 'b64_data':
        if (p.payload.length > 0) put(f, `"${Buffer.from(p.payload.buffer, p.payload.byteOffset, p.payload.byteLength).toString('base64')}"`);
        break;
      default:
        break;
    }
  }
  return `${out} }`;
}

/** Snort's CreateTCPFlagString: `12UAPRSF` with `*` for unset bits. */
export function tcpFlagString(flags: number): string {
  const bits: [number, string][] = [
    [TCP_FLAG.CWR, '1'],
    [TCP_FLAG.ECE, '2'],
    [TCP_FLAG.URG, 'U'],
    [TCP_FLAG.ACK, 'A'],
    [TCP_FLAG.PSH, 'P'],
    [TCP_FLAG.RST, 'R'],
    [TCP_FLAG.SYN, 'S'],
    [TCP_FLAG.FIN, 'F'],
  ];
  return bits.map(([b, c]) => (flags & b ? c : '*')).join('');
}

const hex = (n: number) => `0x${n.toString(16).toUpperCase()}`;

/**
 * The alert_full block for one alert (several lines, ending with a blank line), after Snort's
 * alert_full: header, classification, time and addresses, IP line, transport line, references.
 */
export function formatFull(ev: LoggedAlert): string {
  const p = ev.packet;
  const lines: string[] = [];
  lines.push(`[**] [${ev.gid}:${ev.sid}:${ev.rev}] ${quotedMsg(ev.msg)} [**]`);
  const cls = ev.classtype !== undefined ? `[Classification: ${ev.classtypeName ?? ev.classtype}] ` : '';
  lines.push(`${cls}[Priority: ${ev.priority}] `);
  lines.push(`${formatTimestamp(p.raw.tsSec, p.raw.tsUsec)} ${formatAddrs(p)}`);
  if (p.ip !== undefined) {
    const proto = packetType(p);
    if (p.ip.version === 4) {
      const frag = [p.ip.flags & 0x2 ? ' DF' : '', p.ip.flags & 0x1 ? ' MF' : ''].join('');
      lines.push(`${proto} TTL:${p.ip.ttl} TOS:${hex(p.ip.tos)} ID:${p.ip.id} IpLen:${p.ip.headerLen} DgmLen:${p.ip.totalLen}${frag}`);
    } else {
      lines.push(`${proto} TTL:${p.ip.hopLimit} TOS:${hex(p.ip.trafficClass)} ID:${p.ip.flowLabel} IpLen:40 DgmLen:${pktLen(p)}`);
    }
  }
  if (p.tcp !== undefined) {
    lines.push(`${tcpFlagString(p.tcp.flags)} Seq: ${hex(p.tcp.seq >>> 0)}  Ack: ${hex(p.tcp.ack >>> 0)}  Win: ${hex(p.tcp.window)}  TcpLen: ${p.tcp.headerLen}`);
  } else if (p.udp !== undefined) {
    lines.push(`Len: ${p.udp.length - 8}`);
  } else if (p.icmp !== undefined) {
    const idSeq = p.icmp.id !== undefined ? `  ID:${p.icmp.id}   Seq:${p.icmp.seq ?? 0}` : '';
    lines.push(`Type:${p.icmp.type}  Code:${p.icmp.code}${idSeq}`);
  } else if (p.proto === IPPROTO.GRE) {
    lines.push('GRE');
  }
  for (const r of ev.references ?? []) lines.push(`[Xref => ${r.system} ${r.id}]`);
  return `${lines.join('\n')}\n\n`;
}
