/**
 * `vigil ids` end to end on captures the test builds (test/support/pcap-writer.ts): flags, outputs,
 * config file, thresholds, errors. The CLI runs in-process through `main()` with stdout/stderr captured.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVigil } from './run-cli.js';
import { buildIcmp, buildTcp, buildUdp, encodePcap, writePcap, writePcapng } from '../support/pcap-writer.js';

const runCli = runVigil;

const C = '10.1.1.5';
const S = '203.0.113.9';
const T0 = 1_700_000_000; // 11/14-22:13:20 UTC

/** A TCP session: handshake, a request with `request`, a reply with `reply`, and a UDP and ICMP packet. */
function session(request: string, reply: string): { data: Uint8Array; tsSec: number; tsUsec: number }[] {
  const frames = [
    buildTcp({ src: C, dst: S, sport: 40000, dport: 80, flags: 'S', seq: 100 }),
    buildTcp({ src: S, dst: C, sport: 80, dport: 40000, flags: 'SA', seq: 500, ack: 101 }),
    buildTcp({ src: C, dst: S, sport: 40000, dport: 80, flags: 'A', seq: 101, ack: 501 }),
    buildTcp({ src: C, dst: S, sport: 40000, dport: 80, flags: 'PA', seq: 101, ack: 501, payload: request }),
    buildTcp({ src: S, dst: C, sport: 80, dport: 40000, flags: 'PA', seq: 501, ack: 101 + request.length, payload: reply }),
    buildUdp({ src: C, dst: '198.51.100.53', sport: 5353, dport: 53, payload: 'dnsquery-example' }),
    buildIcmp({ src: C, dst: S, type: 8, code: 0, id: 7, seq: 1, payload: 'ping-payload' }),
  ];
  return frames.map((data, i) => ({ data, tsSec: T0 + i, tsUsec: 1000 * i }));
}

const RULES = [
  'alert tcp $HOME_NET any -> $EXTERNAL_NET $HTTP_PORTS (msg:"TEST request admin"; flow:to_server,established; content:"GET /admin"; depth:10; classtype:attempted-recon; reference:cve,2020-0001; sid:1000001; rev:2;)',
  'alert tcp $EXTERNAL_NET $HTTP_PORTS -> $HOME_NET any (msg:"TEST reply 403"; flow:to_client,established; content:"403 Forbidden"; classtype:bad-unknown; sid:1000002; rev:1;)',
  'alert udp any any -> any 53 (msg:"TEST dns"; content:"example"; sid:1000003; rev:1;)',
  'alert icmp any any -> any any (msg:"TEST ping"; itype:8; content:"ping"; sid:1000004; rev:1;)',
  'alert tcp any any -> any any (msg:"TEST never"; content:"not-in-any-packet"; sid:1000005; rev:1;)',
  'alert tcp any any -> any any (msg:"TEST syn"; flags:S; sid:1000006; rev:1;)',
  'alert tcp any any -> any any (msg:"TEST bad option"; no_such_option:1; sid:1000007; rev:1;)',
].join('\n');

let dir: string;
let pcap: string;
let rules: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-ids-cli-'));
  pcap = join(dir, 'session.pcap');
  writePcap(pcap, session('GET /admin HTTP/1.1\r\nHost: x\r\n\r\n', 'HTTP/1.1 403 Forbidden\r\n\r\n'));
  rules = join(dir, 'test.rules');
  writeFileSync(rules, `# test rules\n${RULES}\n`);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const HOME = ['--var', 'HOME_NET=10.0.0.0/8', '--var', 'EXTERNAL_NET=!$HOME_NET'];

describe('vigil ids on a built capture', () => {
  it('writes the predicted alerts to alert_fast.txt and the statistics to stderr', async () => {
    const out = join(dir, 'fast');
    const r = await runCli(['ids', '-r', pcap, '-R', rules, '-A', 'fast', '-l', out, ...HOME]);
    expect(r.code).toBe(0);
    const lines = readFileSync(join(out, 'alert_fast.txt'), 'utf8').trimEnd().split('\n');
    // Packet 1 is the SYN (sid 1000006); packet 4 the request on an established flow, packet 5 the reply,
    // packet 6 the DNS query, packet 7 the ping. 1000005 never matches; 1000007 does not load.
    // TCP data is inspected as reassembled PDUs: the request's PDU is flushed by the reply (logged with
    // packet 5's time), and the reply's, which nothing follows on its flow, at the end of the input
    // (logged last, with the time of its own last packet, 5).
    // Rules without classtype or priority print [Priority: 0], as Snort 3 does.
    expect(lines).toEqual([
      '11/14-22:13:20.000000 [**] [1:1000006:1] "TEST syn" [**] [Priority: 0] {TCP} 10.1.1.5:40000 -> 203.0.113.9:80',
      '11/14-22:13:24.004000 [**] [1:1000001:2] "TEST request admin" [**] [Classification: Attempted Information Leak] [Priority: 2] {TCP} 10.1.1.5:40000 -> 203.0.113.9:80',
      '11/14-22:13:25.005000 [**] [1:1000003:1] "TEST dns" [**] [Priority: 0] {UDP} 10.1.1.5:5353 -> 198.51.100.53:53',
      '11/14-22:13:26.006000 [**] [1:1000004:1] "TEST ping" [**] [Priority: 0] {ICMP} 10.1.1.5 -> 203.0.113.9',
      '11/14-22:13:24.004000 [**] [1:1000002:1] "TEST reply 403" [**] [Classification: Potentially Bad Traffic] [Priority: 2] {TCP} 203.0.113.9:80 -> 10.1.1.5:40000',
    ]);
    expect(r.stderr).toMatch(/test\.rules:8: .*no_such_option/);
    expect(r.stderr).toMatch(/\n\s+received: 7\n/);
    expect(r.stderr).toMatch(/\n\s+alerts: 5\n/);
    expect(r.stderr).toMatch(/\n\s+loaded: 6\n/);
    expect(r.stderr).toMatch(/\n\s+skipped: 1\n/);
    expect(r.stderr).toMatch(/Mbits\/sec: \d+/);
  });

  it('writes alert_json.txt with Snort 3 fields and flow direction, and alert_full.txt', async () => {
    const out = join(dir, 'json');
    expect((await runCli(['ids', '-q', '-r', pcap, '-R', rules, '-A', 'json', '-l', out, ...HOME])).code).toBe(0);
    const events = readFileSync(join(out, 'alert_json.txt'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    // The order and packet of the TCP data alerts follow the PDU flushes (see the test above).
    expect(events.map((e) => e.sid)).toEqual([1000006, 1000001, 1000003, 1000004, 1000002]);
    expect(events[1]).toEqual({
      timestamp: '11/14-22:13:24.004000',
      pkt_num: 5,
      proto: 'TCP',
      pkt_len: 40 + 'GET /admin HTTP/1.1\r\nHost: x\r\n\r\n'.length,
      dir: 'C2S',
      src_addr: '10.1.1.5',
      src_port: 40000,
      dst_addr: '203.0.113.9',
      dst_port: 80,
      gid: 1,
      sid: 1000001,
      rev: 2,
      msg: 'TEST request admin',
      class: 'Attempted Information Leak',
      priority: 2,
      action: 'allow',
    });
    expect(events[4]!.dir).toBe('S2C');
    expect(events[3]).not.toHaveProperty('src_port');
    const full = join(dir, 'full');
    expect((await runCli(['ids', '-q', '-r', pcap, '-R', rules, '-A', 'full', '-l', full, ...HOME])).code).toBe(0);
    expect(readFileSync(join(full, 'alert_full.txt'), 'utf8')).toContain('[Xref => cve 2020-0001]');
  });

  it('prints alerts on stdout without -l and nothing with -A none', async () => {
    const r = await runCli(['ids', '-q', '-r', pcap, '-R', rules, ...HOME]);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(5);
    expect(r.stderr).toBe('');
    const none = await runCli(['ids', '-q', '-r', pcap, '-R', rules, '-A', 'none', ...HOME]);
    expect(none.stdout).toBe('');
  });

  it('uses variables: with HOME_NET any the request rule still fires, with a HOME_NET that excludes the client it does not', async () => {
    const r = await runCli(['ids', '-q', '-r', pcap, '-R', rules, '--var', 'HOME_NET=192.168.0.0/16', '--var', 'EXTERNAL_NET=any']);
    expect(r.stdout).not.toContain('1000001');
    expect(r.stdout).toContain('1000003');
  });

  it('reads variables, outputs and the event queue from the -c config and lets flags win', async () => {
    const conf = join(dir, 'ids.json');
    const out = join(dir, 'conf-out');
    writeFileSync(conf, JSON.stringify({ variables: { HOME_NET: '10.0.0.0/8', EXTERNAL_NET: '!$HOME_NET' }, output: { mode: 'json', logDir: out }, eventQueue: { log: 1 } }));
    expect((await runCli(['ids', '-q', '-r', pcap, '-R', rules, '-c', conf])).code).toBe(0);
    expect(readFileSync(join(out, 'alert_json.txt'), 'utf8').trimEnd().split('\n')).toHaveLength(5);
    const r = await runCli(['ids', '-q', '-r', pcap, '-R', rules, '-c', conf, '-A', 'fast', '-l', join(dir, 'conf-out2')]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'conf-out2', 'alert_fast.txt'), 'utf8')).toContain('[1:1000001:2]');
  });

  it('rejects a config with an unknown key, naming the file and the key', async () => {
    const conf = join(dir, 'bad.json');
    writeFileSync(conf, JSON.stringify({ variables: {}, outputs: {} }));
    const r = await runCli(['ids', '-r', pcap, '-R', rules, '-c', conf]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.json: .*outputs.* \[IDS_CONFIG\]/);
  });

  it('applies a threshold file (suppress and event_filter) and reports its bad lines', async () => {
    const th = join(dir, 'threshold.conf');
    writeFileSync(th, ['suppress gen_id 1, sig_id 1000003', 'suppress gen_id 1, sig_id 1000004, track by_dst, ip 203.0.113.0/24', 'bogus entry'].join('\n'));
    const r = await runCli(['ids', '-r', pcap, '-R', rules, '--threshold', th, ...HOME]);
    expect(r.stdout).not.toContain('1000003');
    expect(r.stdout).not.toContain('1000004');
    expect(r.stdout).toContain('1000001');
    expect(r.stderr).toMatch(/threshold\.conf:3: .*bogus/);
    expect(r.stderr).toMatch(/\n\s+suppressed: 2\n/);
  });

  it('reads every capture of --pcap-dir in name order (pcap and pcapng), numbering packets across files', async () => {
    const pd = join(dir, 'pcaps');
    mkdirSync(pd);
    writePcap(join(pd, 'a.pcap'), session('GET /admin x', 'nothing'));
    writePcapng(join(pd, 'b.pcapng'), session('GET /index', 'HTTP/1.1 403 Forbidden'));
    writeFileSync(join(pd, 'notes.txt'), 'not a capture');
    const r = await runCli(['ids', '-q', '--pcap-dir', pd, '-R', rules, '-A', 'json', ...HOME]);
    expect(r.code).toBe(0);
    const events = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { sid: number; pkt_num: number });
    // Reported on packet 5, whose reply flushes the request's PDU.
    expect(events.filter((e) => e.sid === 1000001).map((e) => e.pkt_num)).toEqual([5]);
    expect(events.filter((e) => e.sid === 1000002).map((e) => e.pkt_num)).toEqual([12]);
  });

  it('inspects the packets before the damage of a truncated capture and reports it', async () => {
    const bytes = encodePcap(session('GET /admin HTTP/1.1', 'x'));
    const cut = join(dir, 'cut.pcap');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 10));
    const r = await runCli(['ids', '-r', cut, '-R', rules, ...HOME]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1000001');
    expect(r.stderr).toMatch(/cut\.pcap.*\[IDS_CAPTURE_TRUNCATED\]/);
  });

  it('reports rule loading with --check-rules, as text and as JSON', async () => {
    const r = await runCli(['ids', '-R', rules, '--check-rules']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^rules: 7 enabled in 1 files, 6 loaded \(85\.71%\), 1 skipped/);
    expect(r.stdout).toMatch(/test\.rules:8: sid 1000007: .*no_such_option/);
    const j = await runCli(['ids', '-R', rules, '--check-rules', '--json']);
    const report = JSON.parse(j.stdout) as { stats: { loaded: number; failed: number }; errors: { line: number }[] };
    expect(report.stats).toMatchObject({ loaded: 6, failed: 1 });
    expect(report.errors.map((e) => e.line)).toEqual([8]);
  });

  it('prints the rule profile with --profile-rules', async () => {
    const r = await runCli(['ids', '-r', pcap, '-R', rules, '--profile-rules', '3', '-A', 'none', ...HOME]);
    expect(r.stderr).toMatch(/rule profile \(top 3 by time\)/);
    expect(r.stderr).toMatch(/1:1000006:1\s+\d+\s+1\s+1\s/);
  });

  it('fails clearly without rules, without input, with a missing file or a bad --var', async () => {
    expect((await runCli(['ids', '-r', pcap])).stderr).toMatch(/no rule files.*\[IDS_NO_RULES\]/);
    expect((await runCli(['ids', '-R', rules])).stderr).toMatch(/no packets to read.*\[IDS_NO_INPUT\]/);
    const missing = await runCli(['ids', '-R', rules, '-r', join(dir, 'nope.pcap')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.pcap: capture file not found \[IO_ERROR\]/);
    expect((await runCli(['ids', '-R', rules, '-r', pcap, '--var', 'NOEQUALS'])).stderr).toMatch(/--var NOEQUALS: expected NAME=VALUE \[IDS_BAD_VAR\]/);
    expect((await runCli(['ids', '-R', rules, '-r', pcap, '-A', 'loud'])).code).toBe(2);
  });
});
