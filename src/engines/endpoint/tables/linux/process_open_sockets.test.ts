import { readlinkSync } from 'node:fs';
import { createServer, createConnection, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { processOpenSockets } from './process_open_sockets.js';

describe('process_open_sockets', () => {
  let server: Server;
  let client: Socket;
  let port: number;
  beforeAll(async () => {
    server = createServer(() => undefined);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
    client = createConnection(port, '127.0.0.1');
    await new Promise<void>((r) => client.on('connect', r));
  });
  afterAll(async () => {
    client.destroy();
    await new Promise((r) => server.close(r));
  });

  it('shows the listening socket and the connection the test opened', () => {
    const rows = collectRows(processOpenSockets, { constraints: { pid: [String(process.pid)] } });
    expect(rows.every((r) => r.pid === process.pid)).toBe(true);
    const listen = rows.find((r) => r.local_port === port && r.state === 'LISTEN');
    expect(listen).toMatchObject({ family: 2, protocol: 6, local_address: '127.0.0.1', remote_port: 0 });
    const conn = rows.find((r) => r.remote_port === port && r.state === 'ESTABLISHED');
    expect(conn).toMatchObject({ family: 2, protocol: 6, remote_address: '127.0.0.1', local_port: client.localPort });
    expect(Number(conn!.fd)).toBeGreaterThan(2);
  });

  it('includes the test sockets when scanning all processes', () => {
    const rows = collectRows(processOpenSockets);
    expect(rows.some((r) => r.pid === process.pid && r.local_port === port && r.state === 'LISTEN')).toBe(true);
  });

  it('reports each socket once, with its real network namespace', () => {
    const rows = collectRows(processOpenSockets);
    const keys = rows.map((r) => `${r.family}/${r.protocol}/${r.socket}`);
    expect(new Set(keys).size).toBe(keys.length);
    const mine = rows.find((r) => r.pid === process.pid && r.local_port === port)!;
    const ns = /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/net'))![1];
    expect(mine.net_namespace).toBe(ns);
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    const [row] = collectRows(processOpenSockets, { constraints: { pid: [String(process.pid)] } });
    expect(columnMismatch('process_open_sockets', row!)).toBe('');
  });
});
