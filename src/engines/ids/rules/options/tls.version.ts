/**
 * `tls.version:1.0|1.1|1.2|1.3|0xNNNN` (Suricata) — the TLS version in a handshake of this packet
 * (from a TLS record scan, see tls-records.ts). TLS 1.3 is recognised by its supported_versions value in the
 * server hello only through the part-2 TLS inspector; here 1.3 never matches.
 */
import { err, ok } from '../../../../core/result.js';
import { defineOption } from './types.js';
import { SSL_VERSION, scanTls } from './tls-records.js';

const NAMES: Readonly<Record<string, number>> = {
  '1.0': SSL_VERSION['tls1.0'],
  '1.1': SSL_VERSION['tls1.1'],
  '1.2': SSL_VERSION['tls1.2'],
  '1.3': 0,
  '0x0301': SSL_VERSION['tls1.0'],
  '0x0302': SSL_VERSION['tls1.1'],
  '0x0303': SSL_VERSION['tls1.2'],
  '0x0300': SSL_VERSION.sslv3,
};

export const tlsVersion = defineOption<{ readonly bit: number; readonly text: string }>({
  name: 'tls.version',
  kind: 'match',
  help: 'match the TLS protocol version of a handshake in the packet',
  params: [{ name: 'version', type: 'enum', help: 'version', values: Object.keys(NAMES) }],
  parse(args) {
    const t = args?.trim().toLowerCase() ?? '';
    const bit = NAMES[t];
    return bit === undefined ? err(`unknown TLS version ${JSON.stringify(args ?? '')}`) : ok({ bit, text: t });
  },
  key: (c) => c.text,
  eval(c, m) {
    if (c.bit === 0) return false;
    return (scanTls(m.pkt.payload)[1] & c.bit) !== 0;
  },
});
