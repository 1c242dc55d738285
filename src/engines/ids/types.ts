/**
 * Data types shared by the IDS pipeline stages:
 *   acquire -> decode -> flow -> stream -> inspect -> rules -> detect -> act -> log
 * Every stage imports this file; no stage imports a later one (enforced by .dependency-cruiser.cjs).
 *
 * Hot-path conventions: numbers not objects, Uint8Array views into the captured bytes (no copies),
 * status returns instead of exceptions.
 */

/** libpcap link-layer type numbers the decoder understands. */
export const LINKTYPE = {
  NULL: 0, // BSD loopback
  ETHERNET: 1,
  RAW: 101,
  LINUX_SLL: 113,
  LOOP: 108, // OpenBSD loopback
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

/** One captured frame as it came from a pcap/pcapng file or a live interface. */
export interface RawPacket {
  /** 1-based packet number across all inputs of one run (Snort's pkt_num). */
  readonly num: number;
  readonly tsSec: number;
  /** Sub-second part in microseconds. */
  readonly tsUsec: number;
  readonly linkType: number;
  /** The captured bytes (caplen of them). */
  readonly data: Uint8Array;
  /** Original length on the wire (>= data.length when the capture was truncated). */
  readonly wireLen: number;
}

/**
 * The one way RawPacket objects are made (capture reader, defrag, copies kept by the stream and the IPS
 * hold): every frame gets the same fields in the same order, so V8 gives them one hidden class and the
 * stages' loads of `raw.tsSec`, `raw.data`... stay monomorphic (object literals of different sites or
 * spreads gave several, and optimised code deoptimised on "wrong map" when a new one arrived).
 */
export class RawPacketRecord implements RawPacket {
  constructor(
    readonly num: number,
    readonly tsSec: number,
    readonly tsUsec: number,
    readonly linkType: number,
    readonly data: Uint8Array,
    readonly wireLen: number,
  ) {}
}

/** A decoder anomaly, reported like Snort's gid 116 builtin rules (and counted in stats). */
export interface DecoderEvent {
  readonly gid: number;
  readonly sid: number;
  readonly msg: string;
}

/** IP protocol numbers used on hot paths. */
export const IPPROTO = { ICMP: 1, IGMP: 2, TCP: 6, UDP: 17, GRE: 47, ICMPV6: 58 } as const;

/** TCP flag bits as in the header byte (plus the two reserved bits Snort calls 1/2, C/E). */
export const TCP_FLAG = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20, ECE: 0x40, CWR: 0x80 } as const;

export interface Ipv4Info {
  readonly version: 4;
  /** Addresses as unsigned 32-bit integers (network order value). */
  readonly src: number;
  readonly dst: number;
  readonly headerLen: number;
  readonly totalLen: number;
  readonly tos: number;
  readonly id: number;
  /** Flag bits: 0x4 reserved, 0x2 DF, 0x1 MF. */
  readonly flags: number;
  /** Fragment offset in bytes. */
  readonly fragOffset: number;
  readonly ttl: number;
  readonly proto: number;
  /** IP option type codes present (for ipopts), empty when none. */
  readonly options: readonly number[];
  readonly checksumOk: boolean | undefined;
}

export interface Ipv6Info {
  readonly version: 6;
  /** 16-byte addresses (views into the packet). */
  readonly src: Uint8Array;
  readonly dst: Uint8Array;
  readonly trafficClass: number;
  readonly flowLabel: number;
  readonly hopLimit: number;
  /** The upper-layer protocol after extension headers. */
  readonly proto: number;
  /** Extension header types seen, in order. */
  readonly extHeaders: readonly number[];
  /** Fragment id when a fragment header was present. */
  readonly fragId: number | undefined;
  readonly fragOffset: number;
  readonly moreFragments: boolean;
}

export interface TcpInfo {
  readonly srcPort: number;
  readonly dstPort: number;
  readonly seq: number;
  readonly ack: number;
  readonly headerLen: number;
  /** Flag byte (TCP_FLAG bits). */
  readonly flags: number;
  readonly window: number;
  readonly urgent: number;
  /** Option kinds present. */
  readonly options: readonly number[];
  readonly checksumOk: boolean | undefined;
}

export interface UdpInfo {
  readonly srcPort: number;
  readonly dstPort: number;
  readonly length: number;
  readonly checksumOk: boolean | undefined;
}

export interface IcmpInfo {
  /** 4 for ICMP, 6 for ICMPv6. */
  readonly version: 4 | 6;
  readonly type: number;
  readonly code: number;
  /** Echo id/seq when the message is an echo request/reply, else undefined. */
  readonly id: number | undefined;
  readonly seq: number | undefined;
  readonly checksumOk: boolean | undefined;
}

/** Direction of a packet within its flow (set by the flow stage; 'unknown' without one). */
export type PacketDirection = 'client' | 'server' | 'unknown';

/**
 * A decoded packet. Layers that are absent are undefined. `payload` is the application data
 * (TCP/UDP/ICMP data or, for other IP protocols, the IP payload).
 */
export interface Packet {
  readonly raw: RawPacket;
  /** Outer link headers seen: 'eth', 'vlan', 'mpls', 'pppoe', 'gre', 'sll'... (for stats and tests). */
  readonly layers: readonly string[];
  readonly ip: Ipv4Info | Ipv6Info | undefined;
  readonly tcp: TcpInfo | undefined;
  readonly udp: UdpInfo | undefined;
  readonly icmp: IcmpInfo | undefined;
  /** IP protocol number of the innermost transport, or -1 without IP. */
  readonly proto: number;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly payload: Uint8Array;
  /** True when this packet is a reassembled IP datagram built from fragments. */
  readonly rebuilt: boolean;
  /** True for a fragment (not the reassembled whole). */
  readonly isFragment: boolean;
  /**
   * True for a unit built by TCP reassembly (Snort's rebuilt stream packet): its payload is a
   * reassembled PDU of one direction. `flow:only_stream` matches such units, `flow:no_stream` does not.
   * Absent (undefined) on packets as captured.
   */
  readonly reassembled?: boolean;
  /**
   * The HTTP message section a unit carries (set by the HTTP inspector, as Snort 3's http_inspect
   * sections): rules that read no body buffer are not evaluated again on 'body' sections.
   */
  readonly section?: 'header' | 'body';
  readonly events: DecoderEvent[];
  /** Filled by the flow stage; undefined before it or without flow tracking. */
  flow: FlowState | undefined;
  direction: PacketDirection;
}

/**
 * The one way Packet objects are made (decoder, defrag, reassembled PDUs, HTTP sections, IPS copies):
 * all fields, the optional `reassembled` and `section` too, are set in one order, so every packet has
 * one hidden class. Packets of several shapes made every stage and detection site polymorphic on them and
 * cost deoptimisations and recompiles of the big per-packet functions.
 */
export class PacketRecord implements Packet {
  constructor(
    readonly raw: RawPacket,
    readonly layers: readonly string[],
    readonly ip: Ipv4Info | Ipv6Info | undefined,
    readonly tcp: TcpInfo | undefined,
    readonly udp: UdpInfo | undefined,
    readonly icmp: IcmpInfo | undefined,
    readonly proto: number,
    readonly srcPort: number,
    readonly dstPort: number,
    readonly payload: Uint8Array,
    readonly rebuilt: boolean,
    readonly isFragment: boolean,
    readonly reassembled: boolean | undefined,
    readonly section: 'header' | 'body' | undefined,
    readonly events: DecoderEvent[],
    public flow: FlowState | undefined,
    public direction: PacketDirection,
  ) {}
}

/** A copy of `p` with other capture bytes (`raw`), e.g. the held frame a PDU's verdict falls on. */
export function withRaw(p: Packet, raw: RawPacket): Packet {
  return new PacketRecord(raw, p.layers, p.ip, p.tcp, p.udp, p.icmp, p.proto, p.srcPort, p.dstPort, p.payload, p.rebuilt, p.isFragment, p.reassembled, p.section, p.events, p.flow, p.direction);
}

/** Per-flow state visible to rule options (flowbits, flow:established...). Owned by the flow stage. */
export interface FlowState {
  readonly id: number;
  /** TCP handshake completed (or UDP seen both ways) — Snort's `established`. */
  established: boolean;
  /** flowbits set on this flow. */
  readonly bits: Set<string>;
  /** Bytes seen so far from client and server. */
  clientBytes: number;
  serverBytes: number;
  /** Detected application service ('http', 'dns', 'tls'...), if any. */
  service: string | undefined;
  /** SSL/TLS state (inspect/tls-flow.ts), only on flows whose data looked like SSL/TLS. */
  tls?: unknown;
}

/**
 * A named inspection buffer a rule option can select (Snort 3 buffer names): 'pkt_data' (the packet
 * payload or reassembled stream), 'raw_data', 'file_data', 'http_uri', 'http_raw_uri', 'http_header',
 * 'http_raw_header', 'http_method', 'http_cookie', 'http_client_body', 'http_stat_code', 'http_stat_msg',
 * 'http_host', 'http_user_agent', 'dns_query', 'tls_sni', ... Inspectors (part 2) fill them.
 */
export type BufferName = string;

/**
 * The buffers available when evaluating rules against one packet or reassembled PDU.
 *
 * 'raw_data' and 'pkt_data' must return the same bytes: Vigil applies no normalisation between them
 * (Snort 3's telnet/FTP normalisers are not implemented), and detection searches the fast patterns of
 * both buffers in one pass over 'pkt_data' (detect/engine.ts, `scanBufferOf`).
 */
export interface InspectionBuffers {
  get(name: BufferName): Uint8Array | undefined;
}

/** Snort's rule actions. */
export type RuleAction = 'alert' | 'log' | 'pass' | 'drop' | 'sdrop' | 'reject' | 'block' | 'rewrite';

/** One alert (or drop) event produced by detection, consumed by act/ and log/. */
export interface AlertEvent {
  readonly gid: number;
  readonly sid: number;
  readonly rev: number;
  readonly msg: string;
  readonly classtype: string | undefined;
  readonly priority: number;
  readonly action: RuleAction;
  readonly packet: Packet;
}
