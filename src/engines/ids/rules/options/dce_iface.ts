/**
 * `dce_iface:uuid <uuid>[, <op><version>][, any_frag]` (Snort 3) — the DCE/RPC request is for this
 * interface. Reads the `dce_iface` buffer (the bound interface UUID as lower-case text) and `dce_iface_version`
 * (its major version as decimal text), which the DCE/RPC inspector fills; without them the option does not match.
 */
import { err, ok } from '../../../../core/result.js';
import { defineOption } from './types.js';
import { compare, parseComparison, splitArgs, type Comparison } from './util.js';

export interface DceIfaceCfg {
  readonly uuid: string;
  readonly version: Comparison | undefined;
  readonly anyFrag: boolean;
}

export const dceIface = defineOption<DceIfaceCfg>({
  name: 'dce_iface',
  kind: 'match',
  requires: 'dce_iface',
  help: 'match DCE/RPC requests for an interface UUID (and version)',
  params: [
    { name: 'uuid', type: 'string', help: 'uuid xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx' },
    { name: 'version', type: 'expr', help: '<N, >N, =N or !N on the interface major version' },
    { name: 'any_frag', type: 'flag', help: 'also match non-first fragments' },
  ],
  parse(args) {
    const a = splitArgs(args ?? '');
    const m = /^(?:uuid\s+)?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(a[0] ?? '');
    if (!m) return err(`dce_iface needs "uuid <uuid>", not ${JSON.stringify(a[0] ?? '')}`);
    let version: Comparison | undefined;
    let anyFrag = false;
    for (const item of a.slice(1)) {
      if (item === 'any_frag') anyFrag = true;
      else {
        const v = parseComparison(item.replace(/^version\s+/, ''), 65535);
        if (!v.ok) return err(`bad dce_iface version ${JSON.stringify(item)}`);
        version = v.value;
      }
    }
    return ok({ uuid: m[1]!.toLowerCase(), version, anyFrag });
  },
  key: (c) => `${c.uuid},${c.version ? `${c.version.op}${c.version.a}` : ''},${c.anyFrag}`,
  eval(c, m) {
    const iface = m.buffers.get('dce_iface');
    if (!iface || Buffer.from(iface.buffer, iface.byteOffset, iface.byteLength).toString('latin1') !== c.uuid) return false;
    if (!c.version) return true;
    const v = m.buffers.get('dce_iface_version');
    return v !== undefined && compare(c.version, Number(Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('latin1')));
  },
});
