/**
 * Service detection by content, after Snort 3's wizard: it looks at the first bytes each side of a flow
 * sends and names the flow's service (`flow.service`), so `service:` rules, service rule groups and the
 * HTTP inspector work on any port. Port hints (`ports`) are the fallback when the data matches nothing.
 *
 * The default table follows Snort 3's `default_wizard` (snort_defaults.lua): **spells** are text
 * patterns matched case-insensitively at the start of the data, where `*` matches any run of bytes
 * (bounded) and `**` is a literal asterisk; **hexes** are byte patterns where `?` matches any byte. Each entry says which side's data
 * it applies to (to_server: the client's first data; to_client: the server's first data). Besides
 * Snort's entries (ftp, http, imap, pop3, sip, smtp, ssh, dcerpc, dnp3, smb, ssl, telnet) there are a
 * few of Snort's "curses" done as table entries: SMB over NetBIOS session service (NBSS header, then
 * `\xffSMB` or `\xfeSMB`), SSLv2 client hellos, and DNS over TCP (length-prefixed query); service names
 * are Snort's ('ssl', 'netbios-ssn', 'dns'...) so Snort 3 rules' `service:` values match.
 *
 * Decision: the first data of each side is matched; the first matching side decides. If neither side's
 * first data matches (or only one side spoke and it did not match and `maxTries` units went by), the
 * port hint for the server port (or client port) is used, if any (by default only Snort's port-bound
 * protocols: DNS, Sun RPC, Modbus, GTP). A flow whose service is already set (by another stage) is left
 * alone.
 */
import type { Packet } from '../types.js';
import { slotsOf, peekSlots } from './flow-slot.js';

/** One wizard pattern set for a service. */
export interface WizardEntry {
  readonly service: string;
  /** 'tcp' (default) or 'udp' or 'any'. */
  readonly proto?: 'tcp' | 'udp' | 'any';
  /** Spells (text, `*` wildcard, case-insensitive) or hexes (`|ff|SMB`, `?` any byte) for the client's first data. */
  readonly toServer?: readonly string[];
  /** The same for the server's first data. */
  readonly toClient?: readonly string[];
  /** 'spell' (text) or 'hex' (Snort's `|..|` hex syntax, `?` any byte). Default 'spell'. */
  readonly kind?: 'spell' | 'hex';
}

/** Snort 3's http_methods list (snort_defaults.lua). */
const HTTP_METHODS = [
  'GET', 'POST', 'PUT', 'SEARCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'NOTIFY', 'POLL', 'BCOPY', 'BDELETE', 'BMOVE', 'LINK', 'UNLINK',
  'OPTIONS', 'HEAD', 'DELETE', 'TRACE', 'TRACK', 'CONNECT', 'SOURCE', 'SUBSCRIBE', 'UNSUBSCRIBE', 'PROPFIND', 'PROPPATCH', 'BPROPFIND',
  'BPROPPATCH', 'RPC_CONNECT', 'PROXY_SUCCESS', 'BITS_POST', 'CCM_POST', 'SMS_POST', 'RPC_IN_DATA', 'RPC_OUT_DATA', 'RPC_ECHO_DATA', 'PATCH',
  'M-SEARCH',
].map((m) => `${m} `);

// Client commands only FTP sends first; USER / AUTH are left out: IRC and POP3 clients send them too.
const FTP_COMMANDS = ['FEAT', 'SYST'];
const SIP_METHODS = ['INVITE ', 'CANCEL ', 'ACK ', 'BYE ', 'REGISTER ', 'OPTIONS sip', 'REFER ', 'SUBSCRIBE sip', 'UPDATE ', 'INFO ', 'MESSAGE ', 'NOTIFY sip', 'PRACK '];
const TELNET = ['|FF FB|', '|FF FC|', '|FF FD|', '|FF FE|', '|FF FA|'];

/**
 * The default table. Order matters: the first entry whose pattern matches wins (SIP before HTTP,
 * whose OPTIONS / NOTIFY / SUBSCRIBE it shares; SMTP before FTP, both greeting with 220).
 */
export const DEFAULT_WIZARD: readonly WizardEntry[] = [
  { service: 'sip', proto: 'any', toServer: SIP_METHODS, toClient: ['SIP/'] },
  { service: 'http', toServer: HTTP_METHODS, toClient: ['HTTP/'] },
  { service: 'ssh', toServer: ['SSH-'], toClient: ['SSH-'] },
  { service: 'smtp', toServer: ['HELO ', 'EHLO '], toClient: ['220*SMTP', '220*MAIL', '220*ESMTP'] },
  { service: 'ftp', toServer: FTP_COMMANDS, toClient: ['220*FTP', '220*FileZilla', '220 ProFTPD', '220 (vsFTPd'] },
  { service: 'imap', toServer: ['? LOGIN ', '? CAPABILITY', '? AUTHENTICATE ', '? STARTTLS'], toClient: ['** OK', '** BYE', '** PREAUTH'] },
  { service: 'pop3', toServer: ['APOP '], toClient: ['+OK', '-ERR'] },
  // TLS records (handshake 0x16, version 3.x) and SSLv2 client hellos (2-byte length with the top bit, type 1).
  { service: 'ssl', kind: 'hex', toServer: ['|16 03|', '??|01 03|', '??|01 00 02|'], toClient: ['|16 03|', '|15 03|'] },
  // SMB over NetBIOS session service (message type 0, 3-byte length, then the SMB1 / SMB2 magic) and bare SMB.
  { service: 'netbios-ssn', kind: 'hex', toServer: ['|00|???|FF|SMB', '|00|???|FE|SMB', '|FF|SMB', '|FE|SMB', '|81 00|'], toClient: ['|00|???|FF|SMB', '|00|???|FE|SMB', '|82 00 00 00|'] },
  { service: 'dcerpc', kind: 'hex', toServer: ['|05 00 0B|', '|05 00 00|'], toClient: ['|05 00 0C|', '|05 00 02|'] },
  { service: 'dnp3', kind: 'hex', toServer: ['|05 64|'], toClient: ['|05 64|'] },
  { service: 'telnet', kind: 'hex', toServer: TELNET, toClient: TELNET },
];

/**
 * Port hints: the service by server port when the content matched no entry. As in Snort 3's default
 * binder, only protocols the wizard cannot recognise by content are bound by port (DNS, Sun RPC, Modbus,
 * GTP); every other service must show itself in the data, so a flow on port 80 that does not speak HTTP
 * gets no service and is inspected with the port groups. `WizardOptions.ports` replaces the table.
 */
export const DEFAULT_PORT_HINTS: Readonly<Record<string, readonly number[]>> = {
  dns: [53],
  sunrpc: [111],
  modbus: [502],
  gtp: [2123, 2152, 3386],
};

/** A compiled pattern: bytes with a wildcard mask (-1 = any byte, -2 = any run). */
interface Compiled {
  readonly service: string;
  readonly proto: 'tcp' | 'udp' | 'any';
  readonly toServer: readonly Int16Array[];
  readonly toClient: readonly Int16Array[];
}

const ANY_BYTE = -1;
const ANY_RUN = -2;
/** Bytes a `*` may skip. */
const MAX_RUN = 64;

function compileSpell(s: string): Int16Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // `**` is a literal asterisk (Snort's '** OK' for IMAP's "* OK"); a single `*` a run of bytes.
    if (c === 0x2a && s.charCodeAt(i + 1) === 0x2a) {
      out.push(0x2a);
      i++;
      continue;
    }
    // Spells are case-insensitive: letters are stored upper case and input letters folded.
    out.push(c === 0x2a ? ANY_RUN : c === 0x3f ? ANY_BYTE : c >= 0x61 && c <= 0x7a ? c - 32 : c);
  }
  return Int16Array.from(out);
}

function compileHex(s: string): Int16Array {
  const out: number[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '|') {
      const close = s.indexOf('|', i + 1);
      if (close < 0) throw new Error(`wizard hex '${s}': unclosed |`);
      for (const h of s.slice(i + 1, close).trim().split(/\s+/)) if (h.length > 0) out.push(parseInt(h, 16));
      i = close + 1;
    } else {
      out.push(c === '?' ? ANY_BYTE : c.charCodeAt(0));
      i++;
    }
  }
  return Int16Array.from(out);
}

function compile(table: readonly WizardEntry[]): Compiled[] {
  return table.map((e) => {
    const f = e.kind === 'hex' ? compileHex : compileSpell;
    return { service: e.service, proto: e.proto ?? 'tcp', toServer: (e.toServer ?? []).map(f), toClient: (e.toClient ?? []).map(f) };
  });
}

/** Whether `p` matches at the start of `d` (spells fold letters; hexes are exact). */
function matchAt(p: Int16Array, pi: number, d: Uint8Array, di: number, fold: boolean): boolean {
  for (; pi < p.length; pi++, di++) {
    const want = p[pi]!;
    if (want === ANY_RUN) {
      const stop = Math.min(d.length, di + MAX_RUN);
      for (let k = di; k <= stop; k++) if (matchAt(p, pi + 1, d, k, fold)) return true;
      return false;
    }
    if (di >= d.length) return false;
    if (want === ANY_BYTE) continue;
    let c = d[di]!;
    if (fold && c >= 0x61 && c <= 0x7a) c -= 32;
    if (c !== want) return false;
  }
  return true;
}

export interface WizardOptions {
  /** Pattern table (default DEFAULT_WIZARD). */
  readonly table?: readonly WizardEntry[];
  /** Service by port, the fallback (default DEFAULT_PORT_HINTS); `{}` for none. */
  readonly ports?: Readonly<Record<string, readonly number[]>>;
  /** Data units looked at before the port hint decides when only one side spoke (default 4). */
  readonly maxTries?: number;
}

/** Counters for stats and tests. */
export interface WizardCounters {
  /** Flows named by content. */
  byContent: number;
  /** Flows named by port hint. */
  byPort: number;
  /** Flows left without a service. */
  unknown: number;
}

/**
 * The wizard as a pipeline stage (name 'wizard'). It sees packets and reassembled units; once a flow
 * is decided it costs one property load per packet.
 *
 * @example
 * const wizard = new Wizard();
 * wizard.onPacket(pkt); // pkt.flow.service is 'http' if the client's first data was "GET / HTTP/1.1"
 */
export class Wizard {
  readonly name = 'wizard';
  readonly units = true;
  readonly counters: WizardCounters = { byContent: 0, byPort: 0, unknown: 0 };
  private readonly entries: Compiled[];
  private readonly folds: boolean[];
  private readonly byPort = new Map<number, string>();
  private readonly maxTries: number;

  constructor(options: WizardOptions = {}) {
    const table = options.table ?? DEFAULT_WIZARD;
    this.entries = compile(table);
    this.folds = table.map((e) => e.kind !== 'hex');
    for (const [svc, ports] of Object.entries(options.ports ?? DEFAULT_PORT_HINTS)) for (const p of ports) if (!this.byPort.has(p)) this.byPort.set(p, svc);
    this.maxTries = Math.max(1, options.maxTries ?? 4);
  }

  /** The service the content names, for data a side sent first ('client' = to_server). */
  detect(d: Uint8Array, side: 'client' | 'server', proto: number): string | undefined {
    if (d.length === 0) return undefined;
    for (let i = 0; i < this.entries.length; i++) {
      const e = this.entries[i]!;
      if (e.proto !== 'any' && (e.proto === 'tcp') !== (proto === 6)) continue;
      const list = side === 'client' ? e.toServer : e.toClient;
      const fold = this.folds[i]!;
      for (const p of list) if (matchAt(p, 0, d, 0, fold)) return e.service;
    }
    // DNS over TCP: a 2-byte length, then a header with 1..16 questions (Snort's curse-like check).
    if (proto === 6 && d.length >= 19) {
      const len = (d[0]! << 8) | d[1]!;
      const qd = (d[6]! << 8) | d[7]!;
      // A query (QR 0, opcode 0), 1..16 questions, no answers, a first label of 1..63 bytes.
      if (len >= 17 && len <= 4096 && (d[4]! & 0xf8) === 0 && qd >= 1 && qd <= 16 && d[8] === 0 && d[9] === 0 && d[14]! >= 1 && d[14]! <= 63) return 'dns';
    }
    return undefined;
  }

  /** The port hint for a flow: the server port's service, else the client port's. */
  portHint(serverPort: number, clientPort: number): string | undefined {
    return this.byPort.get(serverPort) ?? this.byPort.get(clientPort);
  }

  onPacket(pkt: Packet): boolean {
    const flow = pkt.flow;
    if (flow === undefined || flow.service !== undefined) return true;
    const d = pkt.payload;
    if (d.length === 0 || (pkt.tcp === undefined && pkt.udp === undefined)) return true;
    const existing = peekSlots(flow);
    if (existing !== undefined && (existing.wizard & 0x100) !== 0) return true;
    const slots = existing ?? slotsOf(flow);
    const side = pkt.direction === 'server' ? 'server' : 'client';
    const bit = side === 'client' ? 1 : 2;
    const svc = (slots.wizard & bit) === 0 ? this.detect(d, side, pkt.proto) : undefined;
    if (svc !== undefined) {
      flow.service = svc;
      slots.wizard |= 0x100;
      this.counters.byContent++;
      return true;
    }
    slots.wizard |= bit;
    // Units looked at, in bits 4..7 (a segment and the PDU holding it count twice: the default allows for it).
    const tries = ((slots.wizard >> 4) & 0xf) + 1;
    slots.wizard = (slots.wizard & ~0xf0) | (Math.min(tries, 15) << 4);
    if ((slots.wizard & 3) === 3 || tries >= this.maxTries) {
      slots.wizard |= 0x100;
      const client = pkt.direction === 'server' ? pkt.dstPort : pkt.srcPort;
      const server = pkt.direction === 'server' ? pkt.srcPort : pkt.dstPort;
      const hint = this.portHint(server, client);
      if (hint !== undefined) {
        flow.service = hint;
        this.counters.byPort++;
      } else this.counters.unknown++;
    }
    return true;
  }
}
