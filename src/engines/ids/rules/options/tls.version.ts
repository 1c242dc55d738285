/**
 * `tls.version:1.0|1.1|1.2|1.3|0xNNNN` (Suricata) — the SSL/TLS version of the packet's sender, as
 * Suricata keeps it per flow: the hello's version, overridden by the supported_versions extension (the
 * ServerHello's selected version; the first valid version a ClientHello offers), else the record version.
 * Named versions count TLS 1.3 drafts (0x7fxx) as 1.3; a hex value is compared exactly.
 */
import { err, ok } from '../../../../core/result.js';
import { defineOption } from './types.js';
import { tlsWireVersion } from './tls-records.js';

const NAMES: Readonly<Record<string, number>> = { '1.0': 0x0301, '1.1': 0x0302, '1.2': 0x0303, '1.3': 0x0304 };

export interface TlsVersionCfg {
  /** Wire version wanted. */
  readonly version: number;
  /** Given as hex: compared exactly (no draft folding). */
  readonly raw: boolean;
}

export const tlsVersion = defineOption<TlsVersionCfg>({
  name: 'tls.version',
  kind: 'match',
  help: 'match the SSL/TLS version of the sender (negotiated, TLS 1.3 included)',
  params: [{ name: 'version', type: 'enum', help: '1.0, 1.1, 1.2, 1.3 or a hex wire version (0x0303)', values: Object.keys(NAMES) }],
  parse(args) {
    const t = (args ?? '').trim().replace(/^"(.*)"$/, '$1').toLowerCase();
    const named = NAMES[t];
    if (named !== undefined) return ok({ version: named, raw: false });
    if (/^0x[0-9a-f]{4}$/.test(t)) return ok({ version: Number.parseInt(t, 16), raw: true });
    return err(`unknown TLS version ${JSON.stringify(args ?? '')}: use 1.0, 1.1, 1.2, 1.3 or 0xNNNN`);
  },
  key: (c) => `${c.raw ? 'raw' : ''}${c.version}`,
  eval(c, m) {
    let v = tlsWireVersion(m.pkt);
    if (!c.raw && v >> 8 === 0x7f) v = 0x0304;
    return v !== 0 && v === c.version;
  },
});
