/**
 * Minimal TLS/SSL record scan for ssl_state / ssl_version: which handshake messages and protocol versions
 * a packet's payload carries. Per packet (Snort's SSL inspector accumulates them per flow; flow-wide
 * state arrives with the part-2 inspectors through the `ssl_state`/`ssl_version` buffers).
 */
import { err, ok, type Result } from '../../../../core/result.js';

export const SSL_STATE = { client_hello: 1, server_hello: 2, server_keyx: 4, client_keyx: 8, unknown: 16 } as const;
export const SSL_VERSION = { sslv2: 1, sslv3: 2, 'tls1.0': 4, 'tls1.1': 8, 'tls1.2': 16 } as const;

function versionBit(major: number, minor: number): number {
  if (major !== 3) return 0;
  return minor === 0 ? SSL_VERSION.sslv3 : minor === 1 ? SSL_VERSION['tls1.0'] : minor === 2 ? SSL_VERSION['tls1.1'] : minor === 3 ? SSL_VERSION['tls1.2'] : 0;
}

/**
 * Returns [stateBits, versionBits] seen in the payload (0,0 when it is not TLS).
 *
 * @example
 * const [states] = scanTls(payload); if (states & SSL_STATE.client_hello) { ... }
 */
export function scanTls(p: Uint8Array): [number, number] {
  let states = 0;
  let versions = 0;
  // SSLv2 client hello: 2-byte header with the high bit set, message type 1, version.
  if (p.length >= 5 && (p[0]! & 0x80) !== 0 && p[2] === 1) {
    return [SSL_STATE.client_hello, p[3] === 0 && p[4] === 2 ? SSL_VERSION.sslv2 : versionBit(p[3]!, p[4]!) | SSL_VERSION.sslv2];
  }
  let pos = 0;
  while (pos + 5 <= p.length) {
    const type = p[pos]!;
    if (type < 20 || type > 24 || p[pos + 1] !== 3) break;
    const len = (p[pos + 3]! << 8) | p[pos + 4]!;
    versions |= versionBit(3, p[pos + 2]!);
    if (type === 22) {
      let h = pos + 5;
      const end = Math.min(p.length, pos + 5 + len);
      while (h + 4 <= end) {
        const ht = p[h]!;
        const hl = (p[h + 1]! << 16) | (p[h + 2]! << 8) | p[h + 3]!;
        if (ht === 1) {
          states |= SSL_STATE.client_hello;
          if (h + 6 <= end) versions |= versionBit(p[h + 4]!, p[h + 5]!);
        } else if (ht === 2) {
          states |= SSL_STATE.server_hello;
          if (h + 6 <= end) versions |= versionBit(p[h + 4]!, p[h + 5]!);
        } else if (ht === 12) states |= SSL_STATE.server_keyx;
        else if (ht === 16) states |= SSL_STATE.client_keyx;
        else if (ht > 20 && ht !== 22 && ht !== 24) states |= SSL_STATE.unknown;
        h += 4 + hl;
      }
    }
    pos += 5 + len;
  }
  return [states, versions];
}


/** A parsed `ssl_state` / `ssl_version` list: bits wanted, and bits negated with `!`. */
export interface TlsFlagsCfg {
  readonly want: number;
  readonly notWant: number;
}

/** Parses `[!]a,[!]b` against a name->bit table; the items are alternatives, `!` negates one. */
export function parseTlsFlags(option: string, args: string | undefined, table: Readonly<Record<string, number>>): Result<TlsFlagsCfg> {
  if (args === undefined || args.trim() === '') return err(`${option} needs at least one value`);
  let want = 0;
  let notWant = 0;
  for (const raw of args.split(',')) {
    let t = raw.trim();
    const neg = t.startsWith('!');
    if (neg) t = t.slice(1);
    const bit = table[t];
    if (bit === undefined) return err(`unknown ${option} value ${JSON.stringify(t)}`);
    if (neg) notWant |= bit;
    else want |= bit;
  }
  return ok({ want, notWant });
}

/** Snort's test: any wanted bit present, or (with negations) not every negated bit present. */
export function matchTlsFlags(bits: number, c: TlsFlagsCfg): boolean {
  if (bits === 0) return false;
  if ((bits & c.want) !== 0) return true;
  return c.notWant !== 0 && (bits & c.notWant) !== c.notWant;
}
