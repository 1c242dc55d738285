/**
 * Sockets from procfs: /proc/<pid>/net/{tcp,udp,udplite,raw,icmp}[6] and /proc/<pid>/net/unix, joined to
 * processes through the socket:[inode] links in /proc/<pid>/fd, one read per network namespace -- the
 * way osquery builds process_open_sockets and listening_ports.
 */
import type { QueryContext } from '../../types.js';
import {
  PROC_ROOT,
  listPids,
  parseNamespaceLink,
  readDescriptors,
  readLinkOrEmpty,
  readTextOrUndefined,
  unconstrained,
} from './proc.js';

export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_INET6 = 10;

/** IP protocols osquery reads, with their procfs file names. */
export const INET_PROTOCOLS: readonly (readonly [number, string])[] = [
  [1, 'icmp'],
  [6, 'tcp'],
  [17, 'udp'],
  [136, 'udplite'],
  [255, 'raw'],
];

/** Kernel TCP states by number (include/net/tcp_states.h), named as osquery names them. */
const TCP_STATES = [
  'UNKNOWN',
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'TIME_WAIT',
  'CLOSED',
  'CLOSE_WAIT',
  'LAST_ACK',
  'LISTEN',
  'CLOSING',
  'NEW_SYN_RECV',
];

export interface SocketInfo {
  readonly socket: string;
  readonly family: number;
  readonly protocol: number;
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly path: string;
  readonly state: string;
  readonly netNamespace: number;
}

function hexBytes(hex: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < hex.length; i += 2) out.push(Number.parseInt(hex.slice(i, i + 2), 16));
  return out;
}

/** IPv6 text as glibc's inet_ntop writes it (RFC 5952 zero compression, dotted IPv4 tail for mapped addresses). */
export function formatIpv6(bytes: readonly number[]): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  let bestBase = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestBase = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestBase = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
      out += bytes.slice(12, 16).join('.');
      break;
    }
    out += (words[i] ?? 0).toString(16);
  }
  if (bestBase >= 0 && bestBase + bestLen === 8) out += ':';
  return out;
}

/**
 * Decodes a procfs hex address. The kernel prints each 32-bit word in host byte order, so on
 * little-endian machines the bytes of every word are reversed ("0100007F" is 127.0.0.1).
 *
 * @example
 * decodeHexAddress('0100007F', AF_INET) // '127.0.0.1'
 */
export function decodeHexAddress(hex: string, family: number, littleEndian = true): string {
  const want = family === AF_INET ? 8 : 32;
  if (hex.length !== want || !/^[0-9A-Fa-f]+$/.test(hex)) return '';
  const bytes: number[] = [];
  for (let w = 0; w < want; w += 8) {
    const word = hexBytes(hex.slice(w, w + 8));
    bytes.push(...(littleEndian ? word.reverse() : word));
  }
  return family === AF_INET ? bytes.join('.') : formatIpv6(bytes);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Parses /proc/net/{tcp,udp,...}[6]. Lines that do not have the expected fields are skipped.
 *
 * @example
 * parseInetSockets(text, AF_INET, 6, 4026531840)
 */
export function parseInetSockets(text: string, family: number, protocol: number, netNamespace: number): SocketInfo[] {
  const lines = text.split('\n');
  const header = lines[0]?.trim() ?? '';
  if (!header.startsWith('sl') && !header.startsWith('sk')) return [];
  const out: SocketInfo[] = [];
  for (const line of lines.slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const [la, lp] = (f[1] ?? '').split(':');
    const [ra, rp] = (f[2] ?? '').split(':');
    if (la === undefined || lp === undefined || ra === undefined || rp === undefined) continue;
    let state = '';
    if (protocol === 6) {
      const n = /^[0-9A-Fa-f]+$/.test(f[3] ?? '') ? Number.parseInt(f[3]!, 16) : 0;
      state = n > 0 && n < TCP_STATES.length ? TCP_STATES[n]! : 'UNKNOWN';
    }
    const port = (p: string): number => (/^[0-9A-Fa-f]{4}$/.test(p) ? Number.parseInt(p, 16) : 0);
    out.push({
      socket: f[9] ?? '',
      family,
      protocol,
      localAddress: decodeHexAddress(la, family, LITTLE_ENDIAN),
      localPort: port(lp),
      remoteAddress: decodeHexAddress(ra, family, LITTLE_ENDIAN),
      remotePort: port(rp),
      path: '',
      state,
      netNamespace,
    });
  }
  return out;
}

/**
 * Parses /proc/net/unix ("Num RefCount Protocol Flags Type St Inode Path").
 *
 * @example
 * parseUnixSockets(text, 4026531840)
 */
export function parseUnixSockets(text: string, netNamespace: number): SocketInfo[] {
  const lines = text.split('\n');
  if (!(lines[0] ?? '').startsWith('Num')) return [];
  const out: SocketInfo[] = [];
  for (const line of lines.slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 7) continue;
    out.push({
      socket: f[6] ?? '',
      family: AF_UNIX,
      protocol: Number.parseInt(f[2] ?? '0', 16) || 0,
      localAddress: '',
      localPort: 0,
      remoteAddress: '',
      remotePort: 0,
      path: f.slice(7).join(' '),
      state: '',
      netNamespace,
    });
  }
  return out;
}

/** A socket with the process and descriptor that hold it (-1/-1 when no process in view holds it). */
export interface OpenSocket extends SocketInfo {
  readonly pid: number;
  readonly fd: number;
}

/**
 * Every socket of the asked processes (the `pid` constraint) or of the whole system. With a pid filter only
 * sockets those processes hold are returned; without one, sockets nobody holds come with pid -1.
 */
export function* openSockets(ctx: QueryContext, table: string): Generator<OpenSocket> {
  const wanted = ctx.constraint('pid');
  const filtered = wanted !== undefined && !wanted.includes('-1');
  const pids = filtered ? listPids(ctx) : listPids(unconstrained(ctx));
  const owner = new Map<string, { pid: number; fd: number }>();
  // One reader pid per network namespace; pids whose namespace link cannot be read (exiting processes,
  // some sandboxes' init) are used only when no namespace is known at all.
  const readers = new Map<number, string>();
  let fallback: string | undefined;
  for (const pid of pids) {
    if (ctx.signal.aborted) return;
    const fds = readDescriptors(pid);
    if (fds === undefined) continue;
    for (const [fd, link] of fds) {
      if (link.startsWith('socket:[')) owner.set(link.slice(8, -1), { pid: Number(pid), fd: Number(fd) });
    }
    const ns = parseNamespaceLink(readLinkOrEmpty(`${PROC_ROOT}/${pid}/ns/net`), 'net');
    if (ns === undefined) fallback ??= pid;
    else if (!readers.has(ns)) readers.set(ns, pid);
  }
  if (readers.size === 0 && fallback !== undefined) readers.set(0, fallback);
  const sockets: SocketInfo[] = [];
  for (const [ns, pid] of readers) {
    const base = `${PROC_ROOT}/${pid}/net`;
    for (const [proto, name] of INET_PROTOCOLS) {
      for (const [family, suffix] of [
        [AF_INET, ''],
        [AF_INET6, '6'],
      ] as const) {
        const text = readTextOrUndefined(`${base}/${name}${suffix}`);
        if (text !== undefined) sockets.push(...parseInetSockets(text, family, proto, ns));
      }
    }
    const unix = readTextOrUndefined(`${base}/unix`);
    if (unix !== undefined) sockets.push(...parseUnixSockets(unix, ns));
    else ctx.warn(`${table}: cannot read ${base}/unix; results may be incomplete`);
  }
  const seen = new Set<string>();
  for (const s of sockets) {
    // Socket inodes are unique system-wide: one row per socket even if two namespaces listed it.
    const key = `${s.family}/${s.protocol}/${s.socket}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const o = owner.get(s.socket);
    if (o !== undefined) yield { ...s, pid: o.pid, fd: o.fd };
    else if (!filtered) yield { ...s, pid: -1, fd: -1 };
  }
}
