/**
 * `ssl_version:[!]a,[!]b` — match the SSL/TLS protocol versions in the packet; the items are alternatives (any may match), `!` negates one.
 * Read from a TLS record scan of the payload (see tls-records.ts).
 */
import { err, ok } from '../../../../core/result.js';
import { defineOption } from './types.js';
import { SSL_VERSION, scanTls } from './tls-records.js';

export interface SslVersionCfg {
  readonly want: number;
  readonly notWant: number;
}

export const sslVersion = defineOption<SslVersionCfg>({
  name: 'ssl_version',
  kind: 'match',
  help: 'match the SSL/TLS protocol versions in the packet',
  params: [{ name: 'values', type: 'list', help: 'comma-separated, ! negates', values: Object.keys(SSL_VERSION) }],
  parse(args) {
    if (args === undefined || args.trim() === '') return err('ssl_version needs at least one value');
    let want = 0;
    let notWant = 0;
    for (const raw of args.split(',')) {
      let t = raw.trim();
      const neg = t.startsWith('!');
      if (neg) t = t.slice(1);
      const bit = (SSL_VERSION as Record<string, number>)[t];
      if (bit === undefined) return err(`unknown ssl_version value ${JSON.stringify(t)}`);
      if (neg) notWant |= bit;
      else want |= bit;
    }
    return ok({ want, notWant });
  },
  key: (c) => `${c.want},${c.notWant}`,
  eval(c, m) {
    const bits = scanTls(m.pkt.payload)[1];
    if (bits === 0) return false;
    if ((bits & c.want) !== 0) return true;
    return c.notWant !== 0 && (bits & c.notWant) !== c.notWant;
  },
});
