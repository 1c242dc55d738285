/**
 * Minimal TLS/SSL record scan for ssl_state / ssl_version: which handshake messages and protocol versions
 * a packet's payload carries. Per packet (Snort's SSL inspector accumulates them per flow; flow-wide
 * state arrives with the part-2 inspectors through the `ssl_state`/`ssl_version` buffers).
 */

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
