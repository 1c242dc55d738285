/**
 * IPS (inline) mode on captures the test builds: which packets pass to the --dump pcap, which are
 * dropped, and the `action` alert_json reports, through the library and the CLI.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIds } from '../../src/engines/ids/index.js';
import { readCaptureFile } from '../../src/engines/ids/acquire/capture-reader.js';
import { buildTcp, buildUdp, writePcap } from '../support/pcap-writer.js';
import { runVigil as runCli } from './run-cli.js';

const C = '10.1.1.5';
const S = '203.0.113.9';
const T0 = 1_700_000_000;

/**
 * Runs inline on `tcpFrames` (written to NAME.pcap) with `rulesText`: the 1-based numbers of the frames that
 * reach the dump, in dump order, the alerts as [packet, sid, verdict], and the run's verdict counts.
 */
async function inlineRun(dir: string, name: string, tcpFrames: Uint8Array[], rulesText: string) {
  const file = join(dir, `${name}.pcap`);
  writePcap(file, tcpFrames);
  const rules = join(dir, `${name}.rules`);
  writeFileSync(rules, rulesText);
  const dump = join(dir, `${name}-out.pcap`);
  const logged: [number, number, string][] = [];
  const result = await runIds({
    pcaps: [file],
    rules: [{ path: rules }],
    inline: true,
    dumpPath: dump,
    alertMode: 'none',
    portScan: false,
    onAlert: (a) => logged.push([a.packet.raw.num, a.sid, a.verdict ?? '']),
  });
  const passed = [...readCaptureFile(dump)].map((raw) => tcpFrames.findIndex((f) => Buffer.from(f).equals(Buffer.from(raw.data))) + 1);
  return { passed, logged, verdicts: result.verdicts };
}

/** The capture; each frame's comment says what inline mode does with it. */
function frames(): Uint8Array[] {
  const udp = (dport: number, payload: string, sport = 5000) => buildUdp({ src: C, dst: S, sport, dport, payload });
  const tcp = (from: 'c' | 's', flags: string, seq: number, ack: number, payload?: string, cport = 40000) =>
    from === 'c'
      ? buildTcp({ src: C, dst: S, sport: cport, dport: 80, flags, seq, ack, payload })
      : buildTcp({ src: S, dst: C, sport: 80, dport: cport, flags, seq, ack, payload });
  return [
    udp(9000, 'hello'), // 1 passes, alert (allow)
    udp(9000, 'EVIL-1'), // 2 drop
    tcp('c', 'S', 100, 0), // 3 passes
    tcp('s', 'SA', 500, 101), // 4
    tcp('c', 'A', 101, 501), // 5
    tcp('c', 'PA', 101, 501, 'GET /ok'), // 6 passes
    tcp('s', 'PA', 501, 108, 'HTTP/1.1 200 OK'), // 7 passes
    tcp('c', 'PA', 108, 516, 'BLOCKME'), // 8 block: dropped, and the flow with it
    tcp('s', 'PA', 516, 115, 'after'), // 9 dropped (blocked flow)
    tcp('c', 'PA', 115, 521, 'more'), // 10 dropped (blocked flow)
    udp(9001, 'EVIL-pass'), // 11 a pass rule exempts it
    udp(9000, 'SILENT'), // 12 sdrop: dropped, no alert
    udp(9000, 'REJ'), // 13 reject: dropped
    udp(9000, 'fine'), // 14 passes
    tcp('c', 'S', 900, 0, undefined, 40001), // 15 passes (another flow)
    udp(9000, 'EVIL-2'), // 16 drop
  ];
}

const RULES = [
  'drop udp any any -> any any (msg:"drop evil"; content:"EVIL"; sid:1;)',
  'pass udp any any -> any 9001 (msg:"pass 9001"; sid:2;)',
  'block tcp any any -> any 80 (msg:"block it"; content:"BLOCKME"; sid:3;)',
  'sdrop udp any any -> any any (msg:"silent"; content:"SILENT"; sid:4;)',
  'reject udp any any -> any any (msg:"reject"; content:"REJ"; sid:5;)',
  'alert udp any any -> any any (msg:"hello"; content:"hello"; sid:6;)',
].join('\n');

let dir: string;
let pcap: string;
let rules: string;
let input: Uint8Array[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-ips-'));
  pcap = join(dir, 'in.pcap');
  input = frames();
  writePcap(pcap, input.map((data, i) => ({ data, tsSec: T0 + i, tsUsec: 17 * i })));
  rules = join(dir, 'ips.rules');
  writeFileSync(rules, `${RULES}\n`);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The dump's packets as [number in the input (1-based), tsSec, tsUsec]; checks bytes and link type too. */
function dumped(path: string): number[] {
  const out: number[] = [];
  for (const raw of readCaptureFile(path)) {
    const i = input.findIndex((f) => Buffer.from(f).equals(Buffer.from(raw.data)));
    expect(i).toBeGreaterThanOrEqual(0);
    expect(raw.linkType).toBe(1);
    expect([raw.tsSec, raw.tsUsec]).toEqual([T0 + i, 17 * i]);
    out.push(i + 1);
  }
  return out;
}

async function run(inline: boolean, name: string) {
  const dump = join(dir, `${name}.pcap`);
  const logDir = join(dir, name);
  const result = await runIds({ pcaps: [pcap], rules: [{ path: rules }], inline, dumpPath: dump, alertMode: 'json', logDir, portScan: false });
  const alerts = readFileSync(join(logDir, 'alert_json.txt'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { sid: number; pkt_num: number; action: string });
  return { result, passed: dumped(dump), alerts: alerts.map((a) => [a.pkt_num, a.sid, a.action]) };
}

describe('IPS mode (-Q) on a built capture', () => {
  it('drops exactly the packets drop, sdrop and reject rules match, and the rest of a blocked flow', async () => {
    const { result, passed, alerts } = await run(true, 'inline');
    expect(passed).toEqual([1, 3, 4, 5, 6, 7, 11, 14, 15]);
    // sdrop (packet 12) is silent; the pass rule (11) leaves no event; the blocked flow's later data is not inspected.
    expect(alerts).toEqual([
      [1, 6, 'allow'],
      [2, 1, 'drop'],
      [8, 3, 'block'],
      [13, 5, 'reset'],
      [16, 1, 'drop'],
    ]);
    expect(result.verdicts).toEqual({ allowed: 9, dropped: 3, rejected: 1, blocked: 3, flowsBlocked: 1, wouldDrop: 0, dumped: 9 });
  });

  it('drops nothing without -Q: the dump equals the input and drop rules alert as would_drop', async () => {
    const { result, passed, alerts } = await run(false, 'passive');
    expect(passed).toEqual(input.map((_, i) => i + 1));
    // Without -Q, TCP data is inspected once, in the reassembled PDU. Packet 9's reply flushes the client's
    // 'BLOCKME', but on port 80 the HTTP inspector holds data that is not a complete request until more comes
    // or the flow ends (as Snort's HTTP splitter does): the alert falls on the flow's last packet, 10, and is
    // written at the end of input, after the alerts of later packets.
    expect(alerts).toEqual([
      [1, 6, 'allow'],
      [2, 1, 'would_drop'],
      [13, 5, 'would_reset'],
      [16, 1, 'would_drop'],
      [10, 3, 'would_block'],
    ]);
    expect(result.verdicts.dropped + result.verdicts.blocked + result.verdicts.rejected).toBe(0);
    expect(result.verdicts.allowed).toBe(16);
  });

  it('runs -Q --dump from the CLI and prints the verdicts', async () => {
    const dump = join(dir, 'cli.pcap');
    const r = await runCli(['ids', '-Q', '-r', pcap, '-R', rules, '--dump', dump, '-A', 'none']);
    expect(r.code).toBe(0);
    expect(dumped(dump)).toEqual([1, 3, 4, 5, 6, 7, 11, 14, 15]);
    expect(r.stderr).toMatch(/verdicts \(inline\)\n\s+allow: 9\n\s+drop: 3\n\s+reject: 1\n\s+block: 3\n\s+blocked_flows: 1\n\s+dumped: 9\n/);
  });

  it('drops the TCP segment that carries a drop rule match, alerts once, and a split pattern drops the packet that completes it', async () => {
    const c = (seq: number, ack: number, flags: string, payload?: string) => buildTcp({ src: C, dst: S, sport: 41000, dport: 80, flags, seq, ack, payload });
    const s = (seq: number, ack: number, flags: string, payload?: string) => buildTcp({ src: S, dst: C, sport: 80, dport: 41000, flags, seq, ack, payload });
    const tcpFrames = [
      c(100, 0, 'S'), // 1
      s(500, 101, 'SA'), // 2
      c(101, 501, 'A'), // 3
      c(101, 501, 'PA', 'one BAD-THING here'), // 4 drop (segment)
      s(501, 119, 'PA', 'reply'), // 5 flushes the client PDU: the same match is not raised again
      c(119, 506, 'PA', 'SPLIT-'), // 6
      c(125, 506, 'PA', 'PATTERN'), // 7 completes "SPLIT-PATTERN": held back until its PDU is inspected, then dropped
      s(506, 132, 'PA', 'reply2'), // 8 acknowledges the client data, which flushes the PDU; it passes
    ];
    const { passed, logged, verdicts } = await inlineRun(
      dir,
      'tcp',
      tcpFrames,
      'drop tcp any any -> any 80 (msg:"bad"; content:"BAD-THING"; sid:11;)\ndrop tcp any any -> any 80 (msg:"split"; content:"SPLIT-PATTERN"; sid:12;)\n',
    );
    // Frame 7 was held back, so it reaches the dump after frame 8 would have; it never does here.
    expect(passed).toEqual([1, 2, 3, 5, 6, 8]);
    expect(logged).toEqual([
      [4, 11, 'drop'],
      [7, 12, 'drop'],
    ]);
    expect(verdicts).toMatchObject({ dropped: 2, allowed: 6, dumped: 6 });
  });

  it('drops the last segment of the capture when the PDU flushed at end of input matches a drop rule', async () => {
    const c = (seq: number, ack: number, flags: string, payload?: string) => buildTcp({ src: C, dst: S, sport: 42000, dport: 80, flags, seq, ack, payload });
    const s = (seq: number, ack: number, flags: string, payload?: string) => buildTcp({ src: S, dst: C, sport: 80, dport: 42000, flags, seq, ack, payload });
    const tcpFrames = [
      c(100, 0, 'S'), // 1
      s(500, 101, 'SA'), // 2
      c(101, 501, 'A'), // 3
      c(101, 501, 'PA', 'hello '), // 4 held, then released when frame 5 is held
      c(107, 501, 'PA', 'SPLIT-'), // 5 held, released when frame 6 is held
      c(113, 501, 'PA', 'PATTERN'), // 6 the capture ends: the PDU is flushed and matches, frame 6 is dropped
      buildUdp({ src: C, dst: S, sport: 5000, dport: 53, payload: 'other' }), // 7 another flow passes
    ];
    const { passed, logged, verdicts } = await inlineRun(dir, 'tcp-end', tcpFrames, 'drop tcp any any -> any 80 (msg:"split"; content:"SPLIT-PATTERN"; sid:12;)\n');
    expect([...passed].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 7]);
    expect(logged).toEqual([[6, 12, 'drop']]);
    expect(verdicts).toMatchObject({ dropped: 1, allowed: 6, dumped: 6 });

    // Without a drop match everything held is forwarded at the end.
    const r2 = await inlineRun(dir, 'tcp-end-none', tcpFrames, 'drop tcp any any -> any 80 (msg:"nothing"; content:"NOT-THERE"; sid:13;)\n');
    expect(r2.verdicts).toMatchObject({ dropped: 0, allowed: 7, dumped: 7 });
    expect([...r2.passed].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('makes a rate_filter new_action drop act in inline mode', async () => {
    const file = join(dir, 'rate.pcap');
    const udpFrames = [1, 2, 3].map((i) => buildUdp({ src: C, dst: S, sport: 6000 + i, dport: 7000, payload: `RATE-${i}` }));
    writePcap(file, udpFrames);
    const rateRules = join(dir, 'rate.rules');
    writeFileSync(rateRules, 'alert udp any any -> any 7000 (msg:"rate"; content:"RATE"; sid:20;)\n');
    const threshold = join(dir, 'rate.threshold');
    writeFileSync(threshold, 'rate_filter gen_id 1, sig_id 20, track by_src, count 1, seconds 60, new_action drop, timeout 10\n');
    const dump = join(dir, 'rate-out.pcap');
    const logged: string[] = [];
    await runIds({ pcaps: [file], rules: [{ path: rateRules }], thresholdFile: threshold, inline: true, dumpPath: dump, alertMode: 'none', portScan: false, onAlert: (a) => logged.push(a.verdict ?? '') });
    const passed = [...readCaptureFile(dump)].map((raw) => Buffer.from(raw.data).toString('latin1').slice(-6));
    expect(logged).toEqual(['allow', 'drop', 'drop']);
    expect(passed).toEqual(['RATE-1']);
  });

  it('refuses --dump with a live interface', async () => {
    const r = await runCli(['ids', '-Q', '-i', 'lo', '-R', rules, '--dump', join(dir, 'x.pcap')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--dump needs capture files/);
  });
});
