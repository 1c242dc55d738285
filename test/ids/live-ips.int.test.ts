/**
 * Live mode (`vigil ids -i IFACE`) on a veth pair into a network namespace: datagrams sent from inside
 * the namespace are captured on the host side (tcpdump), inspected, and alerted on. Needs root,
 * iproute2 and tcpdump; skipped with a message otherwise (CI runs it as root).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runIds } from '../../src/engines/ids/index.js';
import { main } from '../../src/cli/main.js';
import { liveCaptureMissing, vethPair } from '../support/netns.js';

const missing = liveCaptureMissing('live IPS tests');
if (missing) console.warn(missing);
const veth = vethPair('vi', 214, 7);
const { ns, hostIf, hostIp, nsIp } = veth;

/** Sends UDP datagrams to the host side from inside the namespace (a child node process, bounded in time). */
function sendFromNamespace(payloads: string[], port: number): void {
  const script = `const s=require('dgram').createSocket('udp4');const p=${JSON.stringify(payloads)};let i=0;const next=()=>{if(i===p.length){s.close();return;}s.send(p[i++],${port},'${hostIp}',()=>setTimeout(next,30));};next();`;
  execFileSync('ip', ['netns', 'exec', ns, process.execPath, '-e', script], { stdio: 'ignore', timeout: 10_000 });
}

let dir: string;
let rules: string;

describe.skipIf(missing)('vigil ids -i on a veth pair', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-live-ips-'));
    rules = join(dir, 'live.rules');
    writeFileSync(
      rules,
      ['alert udp any any -> any 9999 (msg:"LIVE attack"; content:"vigil-attack"; sid:9001; rev:1;)', 'drop udp any any -> any 9999 (msg:"LIVE drop"; content:"vigil-drop"; sid:9002; rev:1;)'].join('\n') + '\n',
    );
    veth.setUp();
  });
  afterAll(() => {
    veth.tearDown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('alerts on datagrams sent across the veth pair and ends cleanly with statistics when stopped', async () => {
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), 20_000);
    const logDir = join(dir, 'lib');
    let listening!: () => void;
    const ready = new Promise<void>((resolve) => (listening = resolve));
    const run = runIds({
      pcaps: [],
      rules: [{ path: rules }],
      alertMode: 'json',
      logDir,
      portScan: false,
      // veth hands packets over with checksums left to offload (not filled in), as many NICs do.
      checksums: 'none',
      onAlert: (a) => {
        if (a.sid === 9001) stop.abort();
      },
      live: { iface: hostIf, filter: 'udp and dst port 9999', stop: stop.signal, onListening: listening },
    });
    await Promise.race([ready, new Promise((r) => setTimeout(r, 10_000))]);
    sendFromNamespace(['harmless', 'vigil-attack now'], 9999);
    const result = await run;
    clearTimeout(timer);
    const alerts = readFileSync(join(logDir, 'alert_json.txt'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(alerts.map((a) => [a.sid, a.src_addr, a.dst_addr, a.dst_port, a.action])).toEqual([[9001, nsIp, hostIp, 9999, 'allow']]);
    expect(result.stats.packets).toBe(2);
    expect(result.stats.udp).toBe(2);
    expect(result.verdicts.allowed).toBe(2);
  });

  it('runs from the CLI with -Q: a live drop rule is reported as cant_drop, Ctrl-C prints the statistics', async () => {
    const logDir = join(dir, 'cli');
    let stderr = '';
    let listening!: () => void;
    const ready = new Promise<void>((resolve) => (listening = resolve));
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
      if (stderr.includes('listening on')) listening();
      return true;
    });
    const saved = process.exitCode;
    let code: number;
    try {
      const run = main(['node', 'vigil', 'ids', '-Q', '-i', hostIf, '--bpf', 'udp and dst port 9999', '-R', rules, '-k', 'none', '-A', 'json', '-l', logDir]);
      await Promise.race([ready, new Promise((r) => setTimeout(r, 10_000))]);
      sendFromNamespace(['vigil-drop me', 'ok'], 9999);
      // tcpdump hands packets over at once (-U); give the pipeline a moment, then Ctrl-C.
      await new Promise((r) => setTimeout(r, 1000));
      process.emit('SIGINT');
      code = await Promise.race([run, new Promise<number>((r) => setTimeout(() => r(-1), 15_000))]);
    } finally {
      err.mockRestore();
      process.exitCode = saved;
    }
    expect(code).toBe(0);
    expect(stderr).toMatch(/\n\s+received: 2\n/);
    expect(stderr).toMatch(/verdicts \(inline\)\n\s+allow: 2\n\s+cant_drop: 1\n/);
    const alerts = readFileSync(join(logDir, 'alert_json.txt'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(alerts.map((a) => [a.sid, a.action])).toEqual([[9002, 'cant_drop']]);
  });
});
