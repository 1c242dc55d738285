/**
 * `ssl_state:[!]a,[!]b` — match the TLS handshake messages in the packet; the items are alternatives (any may match), `!` negates one.
 * Read from a TLS record scan of the payload (see tls-records.ts).
 */
import { err, ok } from '../../../../core/result.js';
import { defineOption } from './types.js';
import { SSL_STATE, scanTls } from './tls-records.js';

export interface SslStateCfg {
  readonly want: number;
  readonly notWant: number;
}

export const sslState = defineOption<SslStateCfg>({
  name: 'ssl_state',
  kind: 'match',
  help: 'match the TLS handshake messages in the packet',
  params: [{ name: 'values', type: 'list', help: 'comma-separated, ! negates', values: Object.keys(SSL_STATE) }],
  parse(args) {
    if (args === undefined || args.trim() === '') return err('ssl_state needs at least one value');
    let want = 0;
    let notWant = 0;
    for (const raw of args.split(',')) {
      let t = raw.trim();
      const neg = t.startsWith('!');
      if (neg) t = t.slice(1);
      const bit = (SSL_STATE as Record<string, number>)[t];
      if (bit === undefined) return err(`unknown ssl_state value ${JSON.stringify(t)}`);
      if (neg) notWant |= bit;
      else want |= bit;
    }
    return ok({ want, notWant });
  },
  key: (c) => `${c.want},${c.notWant}`,
  eval(c, m) {
    const bits = scanTls(m.pkt.payload)[0];
    if (bits === 0) return false;
    if ((bits & c.want) !== 0) return true;
    return c.notWant !== 0 && (bits & c.notWant) !== c.notWant;
  },
});
