/**
 * `ssl_version:[!]a,[!]b` — match the SSL/TLS protocol versions in the packet; the items are alternatives (any may match), `!` negates one.
 * Read from a TLS record scan of the payload (see tls-records.ts).
 */
import { defineOption } from './types.js';
import { SSL_VERSION, matchTlsFlags, parseTlsFlags, scanTls, type TlsFlagsCfg } from './tls-records.js';

export type SslVersionCfg = TlsFlagsCfg;

export const sslVersion = defineOption<SslVersionCfg>({
  name: 'ssl_version',
  kind: 'match',
  help: 'match the SSL/TLS protocol versions in the packet',
  params: [{ name: 'values', type: 'list', help: 'comma-separated, ! negates', values: Object.keys(SSL_VERSION) }],
  parse: (args) => parseTlsFlags('ssl_version', args, SSL_VERSION),
  key: (c) => `${c.want},${c.notWant}`,
  eval: (c, m) => matchTlsFlags(scanTls(m.pkt.payload)[1], c),
});
