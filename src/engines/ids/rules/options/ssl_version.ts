/**
 * `ssl_version:[!]a,[!]b` — the flow's SSL/TLS versions (sslv2, sslv3, tls1.0, tls1.1, tls1.2, tls1.3);
 * the items are alternatives, `!` negates one. A side's version is its hello's (TLS 1.3 from the
 * supported_versions extension), else its record version. Snort rules test both sides' versions;
 * Suricata rules the version of the packet's sender (`client_connp` / `server_connp`). A flow without
 * SSL/TLS state never matches.
 */
import { ok } from '../../../../core/result.js';
import { defineOption } from './types.js';
import { SSL_VERSION, matchTlsFlags, parseTlsFlags, tlsVersionBits, type TlsFlagsCfg } from './tls-records.js';

export interface SslVersionCfg extends TlsFlagsCfg {
  /** Suricata: only the sender's version counts. */
  readonly perDirection: boolean;
}

export const sslVersion = defineOption<SslVersionCfg>({
  name: 'ssl_version',
  kind: 'match',
  help: "match the flow's SSL/TLS versions",
  params: [{ name: 'values', type: 'list', help: 'comma-separated alternatives, ! negates one', values: Object.keys(SSL_VERSION) }],
  parse(args, ctx) {
    const r = parseTlsFlags('ssl_version', args, SSL_VERSION);
    return r.ok ? ok({ ...r.value, perDirection: ctx?.syntax === 'suricata' }) : r;
  },
  key: (c) => `${c.want},${c.notWant},${c.perDirection ? 'dir' : 'flow'}`,
  eval(c, m) {
    const bits = tlsVersionBits(m.pkt, c.perDirection);
    return bits >= 0 && matchTlsFlags(bits, c);
  },
});
