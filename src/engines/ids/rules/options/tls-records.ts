/**
 * What `ssl_state`, `ssl_version` and `tls.version` share: the flag-list parser, Snort's flag test, and
 * where the bits come from — the flow's SSL/TLS state (inspect/tls-flow.ts: records followed across
 * segments and PDUs, each side's version, TLS 1.3 from supported_versions), or, for a packet without a
 * flow or a unit the flow parser was not fed (a raw segment when PDUs are inspected), a scan of the
 * payload alone.
 */
import { err, ok, type Result } from '../../../../core/result.js';
import { SSL_STATE, SSL_VERSION, looksLikeTls, scanTlsPayload, tlsStateOf, versionBit } from '../../inspect/tls-flow.js';
import type { Packet } from '../../types.js';

export { SSL_STATE, SSL_VERSION };

/** A parsed `ssl_state` / `ssl_version` list: every named bit, and the negated ones (Snort's flags / mask). */
export interface TlsFlagsCfg {
  readonly want: number;
  readonly notWant: number;
}

/**
 * Parses `[!]a,[!]b` (Snort) or `a|b` (Suricata's ssl_state) against a name->bit table; the items are
 * alternatives, `!` negates one.
 */
export function parseTlsFlags(option: string, args: string | undefined, table: Readonly<Record<string, number>>): Result<TlsFlagsCfg> {
  if (args === undefined || args.trim() === '') return err(`${option} needs at least one value`);
  let want = 0;
  let notWant = 0;
  for (const raw of args.split(/[,|]/)) {
    let t = raw.trim().toLowerCase();
    const neg = t.startsWith('!');
    if (neg) t = t.slice(1).trim();
    const bit = table[t];
    if (bit === undefined) return err(`unknown ${option} value ${JSON.stringify(t)}`);
    if (neg) notWant |= bit;
    else want |= bit;
  }
  return ok({ want, notWant });
}

/**
 * Snort's (and Suricata's) test: `(flags & bits) ^ mask` is non-zero — some named bit is present, or
 * some negated bit is absent.
 */
export function matchTlsFlags(bits: number, c: TlsFlagsCfg): boolean {
  return (((c.want | c.notWant) & bits) ^ c.notWant) !== 0;
}

function fromServer(p: Packet): boolean | undefined {
  return p.direction === 'server' ? true : p.direction === 'client' ? false : undefined;
}

/**
 * The SSL_STATE bits of the packet's handshake messages, or -1 when the packet's flow has no SSL/TLS
 * state (Snort: no SSL session data, no match).
 */
export function tlsStateBits(p: Packet): number {
  // Snort tests only TCP PDUs (and full-PDU packets): a packet without data has no SSL/TLS records.
  if (p.payload.length === 0 || p.tcp === undefined) return -1;
  if (p.flow === undefined) return looksLikeTls(p.payload) ? scanTlsPayload(p.payload, undefined).state : -1;
  const t = tlsStateOf(p.flow);
  if (t === undefined) return -1;
  return t.curUnit === p ? t.cur : scanTlsPayload(p.payload, fromServer(p)).state;
}

/**
 * The SSL_VERSION bits for `ssl_version`: the flow's (both sides' versions, Snort), or only the packet's
 * sender's (`perDirection`, Suricata); -1 without SSL/TLS state.
 */
export function tlsVersionBits(p: Packet, perDirection: boolean): number {
  if (p.payload.length === 0 || p.tcp === undefined) return -1;
  if (p.flow === undefined) return looksLikeTls(p.payload) ? scanTlsPayload(p.payload, undefined).versionBits : -1;
  const t = tlsStateOf(p.flow);
  if (t === undefined) return -1;
  if (!perDirection) return t.versionBits;
  return versionBit(p.direction === 'server' ? t.serverVersion : t.clientVersion);
}

/** The wire version of the packet's sender (Suricata's tls.version), 0 when unknown. */
export function tlsWireVersion(p: Packet): number {
  if (p.payload.length === 0 || p.tcp === undefined) return 0;
  if (p.flow === undefined) return looksLikeTls(p.payload) ? scanTlsPayload(p.payload, undefined).version : 0;
  const t = tlsStateOf(p.flow);
  if (t === undefined) return 0;
  return p.direction === 'server' ? t.serverVersion : t.clientVersion;
}
