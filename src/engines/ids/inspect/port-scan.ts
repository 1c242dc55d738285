/**
 * Port scan and sweep detection, after Snort 3's `port_scan` inspector (gid 122).
 *
 * How Snort counts (and so does this stage), per protocol (TCP, UDP, IP, ICMP) and per host, in two
 * kinds of trackers:
 * - a **scanned** tracker per target host (all scanners together) drives portscan (1:1), decoy
 *   portscan and distributed portscan;
 * - a **scanner** tracker per source host drives portsweep (1:many, including ICMP sweeps).
 *
 * Each tracker holds, for its current window (`tcp_window`... seconds of packet time, starting at the
 * first attempt; an attempt after the window ends resets the tracker):
 * - `scans`: connection attempts: a TCP SYN (+1; a SYN/ACK answering it takes one off, so completed
 *   connections do not count), a UDP datagram from the client (+1; a reply takes one off), an ICMP echo /
 *   timestamp / address / info request (+1), any other IP protocol datagram (+1);
 * - `rejects`: negative responses: a TCP RST on a session that is not established, an ICMP
 *   destination unreachable (port / protocol unreachable or administratively filtered) quoting the probe;
 * - `nets`: how many times the other host changed from the previous attempt;
 * - `ports`: how many times the port (the IP protocol for IP scans) changed from the previous attempt.
 *
 * A tracker crossing the thresholds of a scan type raises that type's event once per window (or on every
 * packet over threshold with `alertAll`, as Snort's `alert_all`): the plain event when `rejects` is
 * reached, the "filtered" event when only `scans` is reached (a `scans` of 0 disables filtered events).
 * Thresholds per sensitivity are Snort 3's `default_{low,med,hi}_port_scan` tables from snort_defaults.lua.
 *
 * Packets of established TCP sessions are ignored (except RSTs), like Snort, using `pkt.flow` from the
 * flow stage when there is one; the stage therefore runs after the flow stage. Without flow state a RST is
 * counted for both directions and UDP datagrams are not counted (Snort needs a session to tell a UDP
 * probe from its reply). One difference on purpose: Snort 3 updates IP protocol trackers without the
 * other address and packet time, so its IP sweeps and IP windows never work; here they use both.
 *
 * Events are pushed onto the packet that crosses a threshold (`pkt.events`, like decoder events) and
 * counted per sid in `counts`. Memory is bounded: at most `memcap / TRACKER_BYTES` trackers; the least
 * recently used tracker that is not in the middle of an alertable window is pruned first (`pruned`).
 *
 * 122:27 "open port" is defined by Snort 3 but never queued by it, so it is not raised here either.
 * Not done: ports in the watch/ignore lists (addresses only).
 */
import { isIP } from 'node:net';
import { z } from 'zod/v3';
import { AppError } from '../../../core/errors.js';
import type { DecoderEvent, Packet } from '../types.js';

/** The stage contract of pipeline.ts (structurally; inspect/ must not import the pipeline). */
interface Stage {
  readonly name: string;
  onPacket(pkt: Packet, ...rest: never[]): boolean | void;
}

// ---------------------------------------------------------------------------------------------
// Events (Snort 3 ps_module.h: gid 122, sids and messages)
// ---------------------------------------------------------------------------------------------

function ev(sid: number, msg: string): DecoderEvent {
  return Object.freeze({ gid: 122, sid, msg });
}

/** Snort 3 port_scan builtin events, indexed by sid. Shared frozen objects: raising one is a push. */
export const PORT_SCAN_EVENTS: readonly DecoderEvent[] = Object.freeze([
  ev(0, ''),
  ev(1, 'TCP portscan'),
  ev(2, 'TCP decoy portscan'),
  ev(3, 'TCP portsweep'),
  ev(4, 'TCP distributed portscan'),
  ev(5, 'TCP filtered portscan'),
  ev(6, 'TCP filtered decoy portscan'),
  ev(7, 'TCP filtered portsweep'),
  ev(8, 'TCP filtered distributed portscan'),
  ev(9, 'IP protocol scan'),
  ev(10, 'IP decoy protocol scan'),
  ev(11, 'IP protocol sweep'),
  ev(12, 'IP distributed protocol scan'),
  ev(13, 'IP filtered protocol scan'),
  ev(14, 'IP filtered decoy protocol scan'),
  ev(15, 'IP filtered protocol sweep'),
  ev(16, 'IP filtered distributed protocol scan'),
  ev(17, 'UDP portscan'),
  ev(18, 'UDP decoy portscan'),
  ev(19, 'UDP portsweep'),
  ev(20, 'UDP distributed portscan'),
  ev(21, 'UDP filtered portscan'),
  ev(22, 'UDP filtered decoy portscan'),
  ev(23, 'UDP filtered portsweep'),
  ev(24, 'UDP filtered distributed portscan'),
  ev(25, 'ICMP sweep'),
  ev(26, 'ICMP filtered sweep'),
]);

// ---------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------

const thresholdSchema = z
  .object({
    /** Connection attempts (0 disables the "filtered" event of this type). */
    scans: z.number().int().min(0),
    /** Attempts answered negatively (RST, ICMP unreachable). */
    rejects: z.number().int().min(0),
    /** Times the other address changed from the prior attempt. */
    nets: z.number().int().min(0),
    /** Times the port (or IP protocol) changed from the prior attempt. */
    ports: z.number().int().min(0),
  })
  .strict();

export type ScanThreshold = z.infer<typeof thresholdSchema>;

const SCAN_TABLES = ['tcp_ports', 'tcp_decoy', 'tcp_sweep', 'tcp_dist', 'udp_ports', 'udp_decoy', 'udp_sweep', 'udp_dist', 'ip_proto', 'ip_decoy', 'ip_sweep', 'ip_dist', 'icmp_sweep'] as const;
type ScanTable = (typeof SCAN_TABLES)[number];
const PROTOS = ['tcp', 'udp', 'ip', 'icmp'] as const;
const SCAN_TYPES = ['portscan', 'portsweep', 'decoy_portscan', 'distributed_portscan'] as const;

/**
 * The port_scan configuration (Snort 3 names). `sensitivity` picks Snort's default_low/med/hi_port_scan
 * thresholds and windows; any table or window given explicitly overrides the preset.
 */
export const portScanConfigSchema = z
  .object({
    sensitivity: z.enum(['low', 'medium', 'high']).default('medium'),
    protos: z.array(z.enum([...PROTOS, 'all'])).default(['all']),
    scan_types: z.array(z.enum([...SCAN_TYPES, 'all'])).default(['all']),
    /** Only packets to or from these CIDRs are tracked (all when absent). */
    watch_ip: z.array(z.string()).optional(),
    ignore_scanners: z.array(z.string()).default([]),
    ignore_scanned: z.array(z.string()).default([]),
    /** Tracker memory in bytes (Snort 3 default 1 MiB). */
    memcap: z.number().int().min(1).default(1_048_576),
    alert_all: z.boolean().default(false),
    tcp_window: z.number().int().min(0).optional(),
    udp_window: z.number().int().min(0).optional(),
    ip_window: z.number().int().min(0).optional(),
    icmp_window: z.number().int().min(0).optional(),
    ...(Object.fromEntries(SCAN_TABLES.map((t) => [t, thresholdSchema.optional()])) as Record<ScanTable, z.ZodOptional<typeof thresholdSchema>>),
  })
  .strict();

export type PortScanConfig = z.input<typeof portScanConfigSchema>;
export type Sensitivity = 'low' | 'medium' | 'high';

const T = (scans: number, rejects: number, nets: number, ports: number): ScanThreshold => ({ scans, rejects, nets, ports });

/** Snort 3 snort_defaults.lua port_scan tables. */
const PRESETS: Record<Sensitivity, { window: number; tables: Record<ScanTable, ScanThreshold> }> = {
  low: {
    window: 60,
    tables: {
      tcp_ports: T(0, 5, 25, 5), tcp_decoy: T(0, 15, 50, 30), tcp_sweep: T(0, 5, 5, 15), tcp_dist: T(0, 15, 50, 15),
      udp_ports: T(0, 5, 25, 5), udp_decoy: T(0, 15, 50, 30), udp_sweep: T(0, 5, 5, 15), udp_dist: T(0, 15, 50, 15),
      ip_proto: T(0, 10, 10, 50), ip_decoy: T(0, 40, 50, 25), ip_sweep: T(0, 10, 10, 10), ip_dist: T(0, 15, 25, 50),
      icmp_sweep: T(0, 5, 5, 5),
    },
  },
  medium: {
    window: 90,
    tables: {
      tcp_ports: T(200, 10, 60, 15), tcp_decoy: T(200, 30, 120, 60), tcp_sweep: T(30, 7, 7, 10), tcp_dist: T(200, 30, 120, 30),
      udp_ports: T(200, 10, 60, 15), udp_decoy: T(200, 30, 120, 60), udp_sweep: T(30, 5, 5, 20), udp_dist: T(200, 30, 120, 30),
      ip_proto: T(200, 10, 10, 50), ip_decoy: T(200, 40, 50, 25), ip_sweep: T(30, 10, 10, 10), ip_dist: T(200, 15, 25, 50),
      icmp_sweep: T(20, 5, 5, 5),
    },
  },
  high: {
    window: 600,
    tables: {
      tcp_ports: T(200, 5, 100, 10), tcp_decoy: T(200, 7, 200, 60), tcp_sweep: T(30, 3, 3, 10), tcp_dist: T(200, 5, 200, 10),
      udp_ports: T(200, 3, 100, 10), udp_decoy: T(200, 7, 200, 60), udp_sweep: T(30, 3, 3, 10), udp_dist: T(200, 3, 200, 10),
      ip_proto: T(200, 3, 3, 10), ip_decoy: T(200, 7, 15, 5), ip_sweep: T(30, 3, 3, 7), ip_dist: T(200, 3, 11, 10),
      icmp_sweep: T(10, 3, 3, 5),
    },
  },
};

/** Estimated bytes per tracker (object, key and map entry), for `memcap`. */
export const TRACKER_BYTES = 128;

// Protocol indexes and the sid before each protocol's block of 8 (ICMP has sids 25/26 only, set apart).
const P_TCP = 0;
const P_UDP = 1;
const P_IP = 2;
/** Tracker updates of one packet (see detect). */
const U_NONE = 0;
const U_ATTEMPT = 1;
const U_ANSWERED = 2;
const U_REJECT = 3;
const P_ICMP = 3;
const SID_BASE = [0, 16, 8, 24];
// Alert kinds as offsets in a block: portscan, decoy, sweep, distributed; filtered = +4.
const K_SCAN = 1;
const K_DECOY = 2;
const K_SWEEP = 3;
const K_DIST = 4;
const FILTERED = 4;

interface Tracker {
  /** Its table in `bySlot` and its key there. */
  readonly slot: number;
  readonly key: number;
  /** Lookup counter when last moved to the recent end of the table. */
  touched: number;
  scans: number;
  rejects: number;
  nets: number;
  ports: number;
  /** Last other host (number; IPv6 hashed; -1 when none yet) and last port (0 at first). */
  lastIp: number;
  lastPort: number;
  /** End of the window in packet seconds. */
  windowEnd: number;
  /** 0: no alert this window; >0: alerted. */
  alerted: number;
  /** Got a negative response: kept in preference to others when pruning during its window. */
  priority: boolean;
}

/** An address set parsed from CIDR strings (IPv4 as numbers, IPv6 as byte prefixes). */
class CidrSet {
  private readonly v4: { net: number; mask: number }[] = [];
  private readonly v6: { bytes: Uint8Array; bits: number }[] = [];
  readonly size: number;

  constructor(entries: readonly string[], key: string) {
    for (const raw of entries) {
      const s = raw.trim();
      const slash = s.indexOf('/');
      const addr = slash < 0 ? s : s.slice(0, slash);
      const kind = isIP(addr);
      const max = kind === 4 ? 32 : 128;
      const bits = slash < 0 ? max : Number(s.slice(slash + 1));
      if (kind === 0 || !Number.isInteger(bits) || bits < 0 || bits > max || (slash >= 0 && !/^\d+$/.test(s.slice(slash + 1)))) {
        throw new AppError('IDS_CONFIG', `port_scan.${key}: "${raw}" is not an IP address or CIDR block`, { details: { key: `port_scan.${key}`, value: raw } });
      }
      if (kind === 4) {
        const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
        this.v4.push({ net: (ipv4Number(addr) & mask) >>> 0, mask });
      } else {
        this.v6.push({ bytes: ipv6Bytes(addr), bits });
      }
    }
    this.size = this.v4.length + this.v6.length;
  }

  hasV4(a: number): boolean {
    for (const c of this.v4) if (((a & c.mask) >>> 0) === c.net) return true;
    return false;
  }

  hasV6(a: Uint8Array): boolean {
    outer: for (const c of this.v6) {
      let bits = c.bits;
      for (let i = 0; bits > 0; i++, bits -= 8) {
        const m = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
        if ((a[i] & m) !== (c.bytes[i] & m)) continue outer;
      }
      return true;
    }
    return false;
  }
}

function ipv4Number(a: string): number {
  const p = a.split('.').map(Number);
  return ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0;
}

function ipv6Bytes(a: string): Uint8Array {
  // Expand '::' and an embedded dotted quad; isIP has validated the text already.
  let text = a;
  const dot = text.lastIndexOf('.');
  if (dot >= 0) {
    const colon = text.lastIndexOf(':');
    const v4 = ipv4Number(text.slice(colon + 1));
    text = `${text.slice(0, colon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 0xff;
  });
  return out;
}

/** A 44-bit hash of an IPv6 address (two 32-bit FNV-1a variants), so keys stay numbers. */
function hashV6(b: Uint8Array): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < 16; i++) {
    h1 = Math.imul(h1 ^ b[i], 0x01000193);
    h2 = Math.imul(h2 ^ b[i], 0x5bd1e995) ^ (h2 >>> 15);
  }
  return (h1 >>> 0) * 4096 + (h2 & 0xfff);
}


/**
 * Snort 3's port_scan as a pipeline stage (name `port_scan`). Put it after the flow stage.
 *
 * @example
 * const ps = new PortScanStage({ sensitivity: 'low', ignore_scanners: ['10.0.0.0/8'] });
 * await runIds({ pcaps: ['scan.pcap'], rules: [], stages: [ps] });
 * ps.counts.get(1); // TCP portscan events raised
 */
export class PortScanStage implements Stage {
  readonly name = 'port_scan';
  /** Events raised, per sid. */
  readonly counts = new Map<number, number>();
  /** Trackers pruned to stay under memcap. */
  pruned = 0;
  /** Packets looked at (IP, not fragments, protocol enabled, not ignored). */
  tracked = 0;
  /**
   * Trackers per slot (protocol x role; IPv6 slots after IPv4's), keyed by the address: IPv4 as an int32,
   * a small integer V8 keeps unboxed (one combined number key would be a heap number per lookup), IPv6 by
   * its 44-bit hash.
   */
  private readonly bySlot: Map<number, Tracker>[] = Array.from({ length: 16 }, () => new Map<number, Tracker>());
  /** Every tracker, least recently refreshed first (a Set keeps insertion order), for pruning. */
  private readonly order = new Set<Tracker>();
  private readonly maxTrackers: number;
  private readonly refreshAfter: number;
  private tick = 0;
  private readonly windows: number[];
  /** Thresholds per protocol index and kind (K_SCAN..K_DIST), undefined when the type is off. */
  private readonly thresholds: (ScanThreshold | undefined)[][];
  private readonly protoOn: boolean[];
  private readonly wantScanned: boolean;
  private readonly wantScanner: boolean;
  private readonly alertAll: boolean;
  private readonly watch: CidrSet | undefined;
  private readonly ignoreScanners: CidrSet;
  private readonly ignoreScanned: CidrSet;

  constructor(config: PortScanConfig = {}) {
    const parsed = portScanConfigSchema.safeParse(config);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const key = ['port_scan', ...issue.path].join('.');
      throw new AppError('IDS_CONFIG', `${key}: ${issue.message}`, { details: { key } });
    }
    const c = parsed.data;
    const preset = PRESETS[c.sensitivity];
    const table = (t: ScanTable): ScanThreshold => c[t] ?? preset.tables[t];
    const types = new Set(c.scan_types.includes('all') ? SCAN_TYPES : c.scan_types);
    const on = (type: (typeof SCAN_TYPES)[number], t: ScanTable): ScanThreshold | undefined => (types.has(type) ? table(t) : undefined);
    const block = (p: string): (ScanThreshold | undefined)[] => [
      undefined,
      on('portscan', p === 'ip' ? 'ip_proto' : (`${p}_ports` as ScanTable)),
      on('decoy_portscan', `${p}_decoy` as ScanTable),
      on('portsweep', `${p}_sweep` as ScanTable),
      on('distributed_portscan', `${p}_dist` as ScanTable),
    ];
    this.thresholds = [block('tcp'), block('udp'), block('ip'), [undefined, undefined, undefined, on('portsweep', 'icmp_sweep'), undefined]];
    const protos = new Set(c.protos.includes('all') ? PROTOS : c.protos);
    this.protoOn = [protos.has('tcp'), protos.has('udp'), protos.has('ip'), protos.has('icmp')];
    this.windows = [c.tcp_window ?? preset.window, c.udp_window ?? preset.window, c.ip_window ?? preset.window, c.icmp_window ?? preset.window];
    this.wantScanned = types.has('portscan') || types.has('decoy_portscan') || types.has('distributed_portscan');
    this.wantScanner = types.has('portsweep');
    this.alertAll = c.alert_all;
    this.maxTrackers = Math.max(2, Math.floor(c.memcap / TRACKER_BYTES));
    this.refreshAfter = this.maxTrackers >> 2;
    this.watch = c.watch_ip !== undefined ? new CidrSet(c.watch_ip, 'watch_ip') : undefined;
    this.ignoreScanners = new CidrSet(c.ignore_scanners, 'ignore_scanners');
    this.ignoreScanned = new CidrSet(c.ignore_scanned, 'ignore_scanned');
  }

  /** Trackers currently held (at most memcap / TRACKER_BYTES). */
  get trackerCount(): number {
    return this.order.size;
  }

  onPacket(pkt: Packet): boolean {
    const ip = pkt.ip;
    if (ip === undefined || pkt.isFragment) return true;
    const tcp = pkt.tcp;
    const icmp = pkt.icmp;
    let proto: number;
    // What the packet is for port_scan: a probe, a positive answer or a negative one (Snort ps_get_proto).
    let unreach = false;
    if (tcp !== undefined) {
      if (!this.protoOn[P_TCP]) return true;
      // Packets of established sessions say nothing about scanning, except a RST.
      if (pkt.flow !== undefined && pkt.flow.established && (tcp.flags & 0x04) === 0) return true;
      proto = P_TCP;
    } else if (pkt.udp !== undefined) {
      if (!this.protoOn[P_UDP] || pkt.flow === undefined) return true;
      proto = P_UDP;
    } else if (icmp !== undefined) {
      const u = unreachKind(pkt);
      if (u === P_TCP && this.protoOn[P_TCP]) proto = P_TCP;
      else if (u === P_UDP && this.protoOn[P_UDP]) proto = P_UDP;
      else if (u === P_IP && this.protoOn[P_IP]) proto = P_IP;
      else if (this.protoOn[P_ICMP]) proto = P_ICMP;
      else return true;
      unreach = u >= 0 || (icmp.version === 4 ? icmp.type === 3 : icmp.type === 1);
    } else {
      if (!this.protoOn[P_IP]) return true;
      proto = P_IP;
    }
    // An ICMP unreachable and a server's packet travel from the scanned host to the scanner.
    const reverse = unreach || pkt.direction === 'server';
    if (tcp !== undefined && (tcp.flags & 0x04) !== 0 && pkt.direction === 'unknown') {
      // Without a session Snort cannot tell who sent the RST: it counts it both ways.
      this.detect(pkt, proto, false, unreach);
      this.detect(pkt, proto, true, unreach);
    } else {
      this.detect(pkt, proto, reverse, unreach);
    }
    return true;
  }

  private detect(pkt: Packet, proto: number, reverse: boolean, unreach: boolean): void {
    const ip = pkt.ip!;
    // Address keys: IPv4 as the number, IPv6 as a 44-bit hash above the IPv4 range.
    let srcKey: number;
    let dstKey: number;
    if (ip.version === 4) {
      srcKey = ip.src;
      dstKey = ip.dst;
      if (this.ignored(reverse ? ip.dst : ip.src, reverse ? ip.src : ip.dst, undefined, undefined)) return;
    } else {
      srcKey = hashV6(ip.src);
      dstKey = hashV6(ip.dst);
      if (this.ignored(-1, -1, reverse ? ip.dst : ip.src, reverse ? ip.src : ip.dst)) return;
    }
    this.tracked++;
    const scannerAddr = reverse ? dstKey : srcKey;
    const scannedAddr = reverse ? srcKey : dstKey;
    const v6 = ip.version === 6;
    const now = pkt.raw.tsSec;
    const scanned = this.wantScanned && proto !== P_ICMP ? this.tracker(proto, 0, scannedAddr, v6, now) : undefined;
    const scanner = this.wantScanner ? this.tracker(proto, 1, scannerAddr, v6, now) : undefined;
    if (scanned !== undefined && scanned.alerted !== 0 && this.alertAll) scanned.alerted = 0;
    if (scanner !== undefined && scanner.alerted !== 0 && this.alertAll) scanner.alerted = 0;

    // Update (Snort ps_tracker_update_*): +1 attempt, -1 answered attempt, or +1 reject. Which one is
    // worked out first and each is called from one place: a call per protocol and case stayed without
    // type feedback until that case first came, and deoptimised this function each time.
    const win = this.windows[proto];
    let update = U_NONE;
    let tracked = scanned;
    let port = pkt.dstPort;
    if (proto === P_TCP) {
      const flags = pkt.tcp === undefined ? 0 : pkt.tcp.flags & 0x17; // SYN ACK RST FIN
      update = unreach ? U_REJECT : flags === 0x02 ? U_ATTEMPT : flags === 0x12 ? U_ANSWERED : (flags & 0x04) !== 0 ? U_REJECT : U_NONE;
    } else if (proto === P_UDP) {
      update = unreach ? U_REJECT : reverse ? U_ANSWERED : U_ATTEMPT;
    } else if (proto === P_IP) {
      update = unreach ? U_REJECT : U_ATTEMPT;
      port = ip.proto;
    } else {
      const icmp = pkt.icmp!;
      const t = icmp.type;
      const request = icmp.version === 4 ? t === 8 || t === 13 || t === 15 || t === 17 : t === 128;
      // ICMP sweeps count on the scanner only.
      update = request ? U_ATTEMPT : unreach ? U_REJECT : U_NONE;
      tracked = undefined;
      port = 0;
    }
    if (update === U_ATTEMPT) this.attempt(tracked, scanner, win, now, srcKey, dstKey, port);
    else if (update === U_ANSWERED) this.answered(tracked, scanner);
    else if (update === U_REJECT) this.reject(tracked, scanner);
    // Like Snort, every tracked packet re-evaluates the trackers (this matters with alert_all).
    const sid = this.evaluate(proto, scanned, scanner);
    if (sid > 0) {
      pkt.events.push(PORT_SCAN_EVENTS[sid]);
      this.counts.set(sid, (this.counts.get(sid) ?? 0) + 1);
    }
  }

  private ignored(scanner4: number, scanned4: number, scanner6: Uint8Array | undefined, scanned6: Uint8Array | undefined): boolean {
    if (scanner6 === undefined) {
      if (this.ignoreScanners.size > 0 && this.ignoreScanners.hasV4(scanner4)) return true;
      if (this.ignoreScanned.size > 0 && this.ignoreScanned.hasV4(scanned4)) return true;
      return this.watch !== undefined && !this.watch.hasV4(scanner4) && !this.watch.hasV4(scanned4);
    }
    if (this.ignoreScanners.size > 0 && this.ignoreScanners.hasV6(scanner6)) return true;
    if (this.ignoreScanned.size > 0 && this.ignoreScanned.hasV6(scanned6!)) return true;
    return this.watch !== undefined && !this.watch.hasV6(scanner6) && !this.watch.hasV6(scanned6!);
  }

  /** Finds or makes the tracker for (protocol, role, host); most recently used last in `order`. */
  private tracker(proto: number, role: number, addr: number, v6: boolean, now: number): Tracker {
    const slot = (v6 ? 8 : 0) + proto * 2 + role;
    const key = v6 ? addr : addr | 0;
    const map = this.bySlot[slot]!;
    const tick = ++this.tick;
    let t = map.get(key);
    if (t !== undefined) {
      // Move to the recent end only when the tracker has aged a quarter of the table: near-LRU order
      // without two set operations on every packet.
      if (tick - t.touched > this.refreshAfter) {
        t.touched = tick;
        this.order.delete(t);
        this.order.add(t);
      }
      return t;
    }
    if (this.order.size >= this.maxTrackers) this.prune(now);
    t = { slot, key, touched: tick, scans: 0, rejects: 0, nets: 0, ports: 0, lastIp: -1, lastPort: 0, windowEnd: -1, alerted: 0, priority: false };
    map.set(key, t);
    this.order.add(t);
    return t;
  }

  /** Drops the least recently used tracker, sparing (among the oldest few) those with rejects in a live window. */
  private prune(now: number): void {
    let victim: Tracker | undefined;
    let looked = 0;
    for (const t of this.order) {
      if (victim === undefined) victim = t;
      if (!t.priority || t.windowEnd < now) {
        victim = t;
        break;
      }
      if (++looked >= 8) break;
    }
    if (victim !== undefined) {
      this.order.delete(victim);
      this.bySlot[victim.slot]!.delete(victim.key);
      this.pruned++;
    }
  }

  private attempt(scanned: Tracker | undefined, scanner: Tracker | undefined, win: number, now: number, src: number, dst: number, port: number): void {
    if (scanned !== undefined) bump(scanned, win, now, src, port);
    if (scanner !== undefined) bump(scanner, win, now, dst, port);
  }

  private answered(scanned: Tracker | undefined, scanner: Tracker | undefined): void {
    if (scanned !== undefined && scanned.scans > 0) scanned.scans--;
    if (scanner !== undefined && scanner.scans > 0) scanner.scans--;
  }

  private reject(scanned: Tracker | undefined, scanner: Tracker | undefined): void {
    if (scanned !== undefined) {
      scanned.rejects++;
      scanned.priority = true;
    }
    if (scanner !== undefined) {
      scanner.rejects++;
      scanner.priority = true;
    }
  }

  /** Snort's ps_alert_{tcp,udp,ip,icmp}: the first scan type whose thresholds are met wins. Returns a sid or 0. */
  private evaluate(proto: number, scanned: Tracker | undefined, scanner: Tracker | undefined): number {
    const th = this.thresholds[proto];
    const base = SID_BASE[proto];
    if (scanned !== undefined && scanned.alerted === 0) {
      let c = th[K_SCAN];
      if (c !== undefined) {
        // One to one: few scanners, many ports; the plain event also wants the scanner refused.
        if (scanned.nets < c.nets && scanned.ports >= c.ports) {
          if (scanned.rejects >= c.rejects && (scanner === undefined || scanner.rejects >= c.rejects)) return fire(scanned, base + K_SCAN);
          if (c.scans !== 0 && scanned.scans >= c.scans) return fire(scanned, base + K_SCAN + FILTERED);
        }
      }
      c = th[K_DECOY];
      if (c !== undefined && scanned.nets >= c.nets && scanned.ports >= c.ports) {
        if (scanned.rejects >= c.rejects) return fire(scanned, base + K_DECOY);
        if (c.scans !== 0 && scanned.scans >= c.scans) return fire(scanned, base + K_DECOY + FILTERED);
      }
    }
    if (scanner !== undefined && scanner.alerted === 0) {
      const c = th[K_SWEEP];
      if (c !== undefined && scanner.nets >= c.nets && scanner.ports <= c.ports) {
        // ICMP's block is 25/26: sweep and filtered sweep.
        if (scanner.rejects >= c.rejects) return fire(scanner, proto === P_ICMP ? 25 : base + K_SWEEP);
        if (c.scans !== 0 && scanner.scans >= c.scans) return fire(scanner, proto === P_ICMP ? 26 : base + K_SWEEP + FILTERED);
      }
    }
    if (scanned !== undefined && scanned.alerted === 0) {
      const c = th[K_DIST];
      if (c !== undefined && scanned.nets <= c.nets && scanned.ports >= c.ports) {
        if (scanned.rejects >= c.rejects) return fire(scanned, base + K_DIST);
        if (c.scans !== 0 && scanned.scans >= c.scans) return fire(scanned, base + K_DIST + FILTERED);
      }
    }
    return 0;
  }
}

function fire(t: Tracker, sid: number): number {
  t.alerted = sid;
  return sid;
}

/** One attempt: restart an expired window, then count the attempt and address / port changes. */
function bump(t: Tracker, win: number, now: number, other: number, port: number): void {
  if (now > t.windowEnd) {
    t.scans = 0;
    t.rejects = 0;
    t.nets = 0;
    t.ports = 0;
    t.lastIp = -1;
    // Snort starts from port 0, so probes to port 0 (ICMP's is always 0) are not port changes.
    t.lastPort = 0;
    t.alerted = 0;
    t.priority = false;
    t.windowEnd = now + win;
  }
  t.scans++;
  if (t.lastIp !== other) {
    t.nets++;
    t.lastIp = other;
  }
  if (t.lastPort !== port) {
    t.ports++;
    t.lastPort = port;
  }
}

/**
 * For an ICMP destination unreachable quoting a probe: the protocol index it answers (TCP/UDP for port
 * unreachable or administratively filtered, IP for protocol unreachable or filtered), else -1.
 */
function unreachKind(pkt: Packet): number {
  const icmp = pkt.icmp!;
  const q = pkt.payload;
  let quoted: number;
  let portUnreach: boolean;
  let protoUnreach: boolean;
  let filtered: boolean;
  if (icmp.version === 4) {
    if (icmp.type !== 3 || q.length < 20 || q[0] >> 4 !== 4) return -1;
    quoted = q[9];
    portUnreach = icmp.code === 3;
    protoUnreach = icmp.code === 2;
    filtered = icmp.code === 13;
  } else {
    if (icmp.type !== 1 || q.length < 40 || q[0] >> 4 !== 6) return -1;
    quoted = q[6];
    portUnreach = icmp.code === 4;
    protoUnreach = false;
    filtered = icmp.code === 1;
  }
  if ((portUnreach || filtered) && quoted === 6) return P_TCP;
  if ((portUnreach || filtered) && quoted === 17) return P_UDP;
  if (protoUnreach || filtered) return P_IP;
  return -1;
}
