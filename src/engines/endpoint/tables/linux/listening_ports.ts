import type { TableImpl } from '../../types.js';
import { unconstrained } from '../common/proc.js';
import { AF_UNIX, openSockets } from '../common/sockets.js';

/**
 * `listening_ports`: sockets that accept traffic, derived from process_open_sockets as osquery does:
 * IPv4/IPv6 sockets with no remote port (TCP LISTEN, unconnected UDP) and named unix sockets.
 *
 * @example
 * const ports = [...listeningPorts.generate(createTestContext())].map((r) => r.port);
 */
export const listeningPorts: TableImpl = {
  name: 'listening_ports',
  *generate(ctx) {
    // osquery scans every process here; a pid constraint is still re-checked by SQLite.
    for (const s of openSockets(unconstrained(ctx), 'listening_ports')) {
      const unix = s.family === AF_UNIX;
      if (unix && s.path === '') continue;
      if (!unix && s.remotePort !== 0) continue;
      yield {
        pid: s.pid,
        port: unix ? 0 : s.localPort,
        protocol: s.protocol,
        family: s.family,
        address: unix ? null : s.localAddress,
        fd: s.fd,
        socket: unix ? 0 : Number(s.socket),
        path: unix ? s.path : null,
        net_namespace: String(s.netNamespace),
      };
    }
  },
};
