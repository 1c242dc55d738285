import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { listeningPorts } from './listening_ports.js';

describe('listening_ports', () => {
  let tcp: Server;
  let tcp6: Server | undefined;
  let unix: Server;
  let udp: UdpSocket;
  const dir = mkdtempSync(join(tmpdir(), 'vigil-lp-'));
  const sockPath = join(dir, 'test.sock');
  beforeAll(async () => {
    tcp = createServer();
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    unix = createServer();
    await new Promise<void>((r) => unix.listen(sockPath, r));
    udp = createSocket('udp4');
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
    try {
      const s = createServer();
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(0, '::1', resolve);
      });
      tcp6 = s;
    } catch {
      tcp6 = undefined; // no IPv6 loopback here
    }
  });
  afterAll(async () => {
    await new Promise((r) => tcp.close(r));
    await new Promise((r) => unix.close(r));
    if (tcp6) await new Promise((r) => tcp6!.close(r));
    udp.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows a TCP server, a UDP socket and a unix socket the test opened', () => {
    const rows = collectRows(listeningPorts).filter((r) => r.pid === process.pid);
    const tcpPort = (tcp.address() as { port: number }).port;
    expect(rows).toContainEqual(expect.objectContaining({ port: tcpPort, protocol: 6, family: 2, address: '127.0.0.1' }));
    expect(rows).toContainEqual(expect.objectContaining({ port: udp.address().port, protocol: 17, family: 2, address: '127.0.0.1' }));
    expect(rows).toContainEqual(expect.objectContaining({ port: 0, family: 1, path: sockPath, socket: 0 }));
    if (tcp6) {
      const p6 = (tcp6.address() as { port: number }).port;
      expect(rows).toContainEqual(expect.objectContaining({ port: p6, protocol: 6, family: 10, address: '::1' }));
    }
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    const [row] = collectRows(listeningPorts);
    expect(columnMismatch('listening_ports', row!)).toBe('');
  });
});
