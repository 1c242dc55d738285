import type { TableImpl } from '../../types.js';
import { openSockets } from '../common/sockets.js';

/**
 * `process_open_sockets`: every IPv4/IPv6 (tcp, udp, udplite, raw, icmp) and unix socket with the
 * process and fd holding it; sockets no visible process holds have pid -1. `WHERE pid = N` reads only
 * that process's descriptors.
 *
 * @example
 * const rows = [...processOpenSockets.generate(createTestContext({ constraints: { pid: [String(process.pid)] } }))];
 */
export const processOpenSockets: TableImpl = {
  name: 'process_open_sockets',
  *generate(ctx) {
    for (const s of openSockets(ctx, 'process_open_sockets')) {
      yield {
        pid: s.pid,
        fd: s.fd,
        socket: Number(s.socket),
        family: s.family,
        protocol: s.protocol,
        local_address: s.localAddress,
        remote_address: s.remoteAddress,
        local_port: s.localPort,
        remote_port: s.remotePort,
        path: s.path,
        state: s.state,
        net_namespace: String(s.netNamespace),
      };
    }
  },
};
