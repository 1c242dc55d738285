/**
 * `ssl_state:[!]a,[!]b` (Snort; Suricata also `a|b`) — the handshake messages of this packet or PDU
 * (client_hello, server_hello, client_keyx, server_keyx, unknown); the items are alternatives, `!`
 * negates one. Read from the flow's SSL/TLS state, which follows records across segments (see
 * tls-records.ts); a flow without SSL/TLS state never matches.
 */
import { defineOption } from './types.js';
import { SSL_STATE, matchTlsFlags, parseTlsFlags, tlsStateBits, type TlsFlagsCfg } from './tls-records.js';

export type SslStateCfg = TlsFlagsCfg;

export const sslState = defineOption<SslStateCfg>({
  name: 'ssl_state',
  kind: 'match',
  help: 'match the SSL/TLS handshake messages of this packet or PDU',
  params: [{ name: 'values', type: 'list', help: 'comma- or |-separated alternatives, ! negates one', values: Object.keys(SSL_STATE) }],
  parse: (args) => parseTlsFlags('ssl_state', args, SSL_STATE),
  key: (c) => `${c.want},${c.notWant}`,
  eval(c, m) {
    const bits = tlsStateBits(m.pkt);
    return bits >= 0 && matchTlsFlags(bits, c);
  },
});
