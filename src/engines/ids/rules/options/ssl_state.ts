/**
 * `ssl_state:[!]a,[!]b` — match the TLS handshake messages in the packet; the items are alternatives (any may match), `!` negates one.
 * Read from a TLS record scan of the payload (see tls-records.ts).
 */
import { defineOption } from './types.js';
import { SSL_STATE, matchTlsFlags, parseTlsFlags, scanTls, type TlsFlagsCfg } from './tls-records.js';

export type SslStateCfg = TlsFlagsCfg;

export const sslState = defineOption<SslStateCfg>({
  name: 'ssl_state',
  kind: 'match',
  help: 'match the TLS handshake messages in the packet',
  params: [{ name: 'values', type: 'list', help: 'comma-separated, ! negates', values: Object.keys(SSL_STATE) }],
  parse: (args) => parseTlsFlags('ssl_state', args, SSL_STATE),
  key: (c) => `${c.want},${c.notWant}`,
  eval: (c, m) => matchTlsFlags(scanTls(m.pkt.payload)[0], c),
});
