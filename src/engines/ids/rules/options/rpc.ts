/**
 * `rpc:application,version|*,procedure|*` (Snort 2) — the payload is an ONC RPC call for this program
 * (and version and procedure). Over TCP the 4-byte record mark is skipped first.
 */
import { err, ok } from '../../../../core/result.js';
import { defineOption } from './types.js';
import { parseIntArg } from './util.js';

export interface RpcCfg {
  readonly program: number;
  /** -1 for any. */
  readonly version: number;
  readonly procedure: number;
}

function read32(p: Uint8Array, i: number): number {
  return ((p[i]! << 24) | (p[i + 1]! << 16) | (p[i + 2]! << 8) | p[i + 3]!) >>> 0;
}

export const rpc = defineOption<RpcCfg>({
  name: 'rpc',
  kind: 'match',
  help: 'match ONC RPC calls to a program (and version, procedure; * for any)',
  params: [
    { name: 'application', type: 'int', help: 'RPC program number' },
    { name: 'version', type: 'expr', help: 'version or *' },
    { name: 'procedure', type: 'expr', help: 'procedure or *' },
  ],
  parse(args) {
    const a = (args ?? '').split(',').map((s) => s.trim());
    const program = parseIntArg(a[0], 0, 0xffffffff);
    if (program === undefined) return err('rpc needs a program number');
    const field = (t: string | undefined): number | undefined => (t === undefined || t === '*' ? -1 : parseIntArg(t, 0, 0xffffffff));
    const version = field(a[1]);
    const procedure = field(a[2]);
    if (version === undefined || procedure === undefined || a.length > 3) return err('rpc takes application[,version|*[,procedure|*]]');
    return ok({ program, version, procedure });
  },
  key: (c) => `${c.program},${c.version},${c.procedure}`,
  eval(c, m) {
    const p = m.pkt.payload;
    const base = m.pkt.tcp ? 4 : 0;
    if (p.length < base + 24) return false;
    // xid, msg type (0 = call), rpc version (2), program, version, procedure.
    if (read32(p, base + 4) !== 0 || read32(p, base + 8) !== 2) return false;
    if (read32(p, base + 12) !== c.program) return false;
    if (c.version >= 0 && read32(p, base + 16) !== c.version) return false;
    return c.procedure < 0 || read32(p, base + 20) === c.procedure;
  },
});
