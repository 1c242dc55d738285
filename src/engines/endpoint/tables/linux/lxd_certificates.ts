/** lxd_certificates: client certificates LXD trusts. */
import { dj } from '../common/docker-api.js';
import { lxdGet } from '../common/lxd-api.js';
import type { Row, TableImpl } from '../../types.js';

/** Rows for a /1.0/certificates?recursion=1 answer. */
export function lxdCertificateRows(body: unknown): Row[] {
  return dj.arr(body).map((x) => {
    const c = dj.obj(x);
    return { name: dj.str(c.name), type: dj.str(c.type), fingerprint: dj.str(c.fingerprint), certificate: dj.str(c.certificate) };
  });
}

/** Generator for osquery's `lxd_certificates` table. */
export const lxdCertificates: TableImpl = {
  name: 'lxd_certificates',
  generate: (ctx) => lxdCertificateRows(lxdGet(['/1.0/certificates?recursion=1'], ctx, 'lxd_certificates')[0]),
};
