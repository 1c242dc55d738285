import { describe, expect, it } from 'vitest';
import { buildIcmp, buildTcp, buildUdp } from '../../../../test/support/pcap-writer.js';
import { sharedMissing, sharedPath } from '../../../../test/support/shared.js';
import { readCaptureFile } from '../acquire/capture-reader.js';
import { decodePacket } from '../decode/decode.js';
import { runIds } from '../index.js';
import { BasicFlowStage } from '../pipeline.js';
import type { Packet, RawPacket } from '../types.js';
import { PORT_SCAN_EVENTS, PortScanStage, TRACKER_BYTES, type PortScanConfig } from './port-scan.js';

/** A frame with its capture time (seconds, microseconds). */
type Timed = [Uint8Array, number, number?];

interface Raised {
  num: number;
  sid: number;
  src: number;
}

/** Runs frames through the basic flow stage and port_scan; returns the gid 122 events per packet. */
function run(frames: readonly Timed[], config: PortScanConfig = {}, withFlow = true): { events: Raised[]; stage: PortScanStage } {
  const stage = new PortScanStage(config);
  const flow = new BasicFlowStage();
  const events: Raised[] = [];
  frames.forEach(([data, tsSec, tsUsec], i) => {
    const raw: RawPacket = { num: i + 1, tsSec, tsUsec: tsUsec ?? 0, linkType: 1, data, wireLen: data.length };
    const pkt = decodePacket(raw);
    if (withFlow) flow.onPacket(pkt);
    stage.onPacket(pkt);
    collect(pkt, events);
  });
  return { events, stage };
}

function collect(pkt: Packet, into: Raised[]): void {
  for (const e of pkt.events) if (e.gid === 122) into.push({ num: pkt.raw.num, sid: e.sid, src: pkt.ip?.version === 4 ? pkt.ip.src : -1 });
}

const SCANNER = '192.0.2.66';
const TARGET = '10.1.1.10';

/** A SYN scan of `ports` ports on one host; closed ports answer RST/ACK when `rst`. */
function synScan(ports: number, rst: boolean, t0 = 1000, step = 0.01): Timed[] {
  const out: Timed[] = [];
  for (let i = 0; i < ports; i++) {
    const t = t0 + i * step;
    const sec = Math.floor(t);
    const usec = Math.round((t - sec) * 1e6);
    const dport = 1 + i * 7;
    out.push([buildTcp({ src: SCANNER, dst: TARGET, sport: 40000 + i, dport, flags: 'S', seq: 1000 }), sec, usec]);
    if (rst) out.push([buildTcp({ src: TARGET, dst: SCANNER, sport: dport, dport: 40000 + i, flags: 'RA', seq: 0, ack: 1001 }), sec, usec + 100]);
  }
  return out;
}

describe('PortScanStage on constructed traffic', () => {
  it('raises 122:1 TCP portscan once when one host scans 100 ports that answer RST (medium)', () => {
    const { events, stage } = run(synScan(100, true));
    expect(events.map((e) => e.sid)).toEqual([1]);
    // medium tcp_ports: 10 rejects and 15 port changes: met by the 15th SYN (packet 29, 14 RSTs seen).
    expect(events[0].num).toBe(29);
    expect(PORT_SCAN_EVENTS[1]).toEqual({ gid: 122, sid: 1, msg: 'TCP portscan' });
    expect(stage.counts.get(1)).toBe(1);
  });

  it('raises on every packet over the thresholds with alert_all, as Snort does', () => {
    const { events } = run(synScan(100, true), { alert_all: true });
    expect(events.length).toBe(200 - 29 + 1);
    expect(new Set(events.map((e) => e.sid))).toEqual(new Set([1]));
  });

  it('does not raise on 4 refused ports at low sensitivity, and raises 122:1 at the 5th (low: 5 rejects, 5 ports)', () => {
    expect(run(synScan(4, true), { sensitivity: 'low' }).events).toEqual([]);
    expect(run(synScan(5, true), { sensitivity: 'low' }).events.map((e) => [e.num, e.sid])).toEqual([[10, 1]]);
  });

  it('raises 122:5 TCP filtered portscan when 200 probes get no answer (medium), and nothing at low', () => {
    const frames = synScan(250, false);
    expect(run(frames).events.map((e) => [e.num, e.sid])).toEqual([[200, 5]]);
    expect(run(frames, { sensitivity: 'low' }).events).toEqual([]);
  });

  it('raises 122:3 TCP portsweep when one host probes port 445 on 50 hosts that refuse', () => {
    const frames: Timed[] = [];
    for (let h = 1; h <= 50; h++) {
      const dst = `10.2.0.${h}`;
      frames.push([buildTcp({ src: SCANNER, dst, sport: 50000 + h, dport: 445, flags: 'S' }), 2000 + h]);
      frames.push([buildTcp({ src: dst, dst: SCANNER, sport: 445, dport: 50000 + h, flags: 'RA', seq: 0, ack: 2 }), 2000 + h]);
    }
    const { events } = run(frames);
    // medium tcp_sweep: 7 rejects, 7 address changes, at most 10 port changes: the 7th RST.
    expect(events.map((e) => [e.num, e.sid])).toEqual([[14, 3]]);
    // Without answers it is a filtered sweep (122:7) once 30 probes are out.
    const silent = frames.filter((_, i) => i % 2 === 0);
    expect(run(silent).events.map((e) => [e.num, e.sid])).toEqual([[30, 7]]);
  });

  it('raises nothing for normal web browsing and DNS, even at high sensitivity', () => {
    const frames: Timed[] = [];
    let t = 3000;
    for (let s = 1; s <= 40; s++) {
      const srv = `198.51.100.${s}`;
      const c = { src: '10.0.0.5', dst: srv, sport: 51000 + s, dport: s % 2 === 0 ? 443 : 80 };
      const r = { src: srv, dst: '10.0.0.5', sport: c.dport, dport: c.sport };
      frames.push([buildUdp({ src: '10.0.0.5', dst: '10.0.0.53', sport: 30000 + s, dport: 53, payload: 'q' }), t]);
      frames.push([buildUdp({ src: '10.0.0.53', dst: '10.0.0.5', sport: 53, dport: 30000 + s, payload: 'a' }), t]);
      frames.push([buildTcp({ ...c, flags: 'S', seq: 10 }), t]);
      frames.push([buildTcp({ ...r, flags: 'SA', seq: 90, ack: 11 }), t]);
      frames.push([buildTcp({ ...c, flags: 'A', seq: 11, ack: 91 }), t]);
      frames.push([buildTcp({ ...c, flags: 'PA', seq: 11, ack: 91, payload: 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' }), t]);
      frames.push([buildTcp({ ...r, flags: 'PA', seq: 91, ack: 38, payload: 'HTTP/1.1 200 OK\r\n\r\n' }), t]);
      frames.push([buildTcp({ ...c, flags: 'FA', seq: 38, ack: 110 }), t]);
      frames.push([buildTcp({ ...r, flags: 'FA', seq: 110, ack: 39 }), t]);
      t += 2;
    }
    for (const sensitivity of ['low', 'medium', 'high'] as const) expect(run(frames, { sensitivity }).events).toEqual([]);
  });

  it('raises 122:17 UDP portscan when probed ports answer ICMP port unreachable', () => {
    const frames: Timed[] = [];
    for (let i = 0; i < 30; i++) {
      const probe = { src: SCANNER, dst: TARGET, sport: 60000, dport: 100 + i, payload: '' };
      frames.push([buildUdp(probe), 4000]);
      const quoted = buildUdp({ ...probe, rawIp: true }).subarray(0, 28);
      frames.push([buildIcmp({ src: TARGET, dst: SCANNER, type: 3, code: 3, payload: quoted }), 4000]);
    }
    // medium udp_ports: 10 rejects, 15 port changes: met by the 15th probe (packet 29).
    expect(run(frames).events.map((e) => [e.num, e.sid])).toEqual([[29, 17]]);
  });

  it('raises 122:26 ICMP filtered sweep for unanswered pings to 25 hosts (medium: 20 scans, 5 nets)', () => {
    const frames: Timed[] = [];
    for (let h = 1; h <= 25; h++) frames.push([buildIcmp({ src: SCANNER, dst: `10.3.0.${h}`, type: 8, id: 1, seq: h }), 5000]);
    expect(run(frames).events.map((e) => [e.num, e.sid])).toEqual([[20, 26]]);
  });

  it('raises nothing for scanners in ignore_scanners, targets in ignore_scanned, or outside watch_ip', () => {
    const frames = synScan(100, true);
    expect(run(frames, { ignore_scanners: ['192.0.2.0/24'] }).events).toEqual([]);
    expect(run(frames, { ignore_scanned: [TARGET] }).events).toEqual([]);
    expect(run(frames, { watch_ip: ['172.16.0.0/12'] }).events).toEqual([]);
    expect(run(frames, { watch_ip: ['10.0.0.0/8'] }).events.map((e) => e.sid)).toEqual([1]);
  });

  it('restarts the counts when attempts are further apart than the window', () => {
    // 100 refused probes, one every 2 s (t = 1000..1198). Medium's 90 s windows: 1000-1090 (46 probes,
    // raised), 1092-1182 (46, raised again: a new window), 1184-1274 (8 probes, under 15 ports).
    // With a 5 s window only 3 probes fit and nothing is raised.
    const slow = synScan(100, true, 1000, 2);
    expect(run(slow).events.map((e) => e.sid)).toEqual([1, 1]);
    expect(run(slow, { tcp_window: 5 }).events).toEqual([]);
  });

  it('counts a RST both ways when no flow stage says who sent it, as Snort does without a session', () => {
    const { events } = run(synScan(100, true), {}, false);
    expect(events.map((e) => e.sid)).toEqual([1]);
  });

  it('does not count UDP without flow state (a probe cannot be told from a reply)', () => {
    const frames: Timed[] = [];
    for (let i = 0; i < 300; i++) frames.push([buildUdp({ src: SCANNER, dst: TARGET, sport: 60000, dport: 100 + i }), 4000]);
    expect(run(frames, {}, false).events).toEqual([]);
    expect(run(frames).events.map((e) => [e.num, e.sid])).toEqual([[200, 21]]);
  });

  it('keeps trackers under the memcap, pruning the least recently used, and counts the pruned', () => {
    const frames: Timed[] = [];
    for (let h = 0; h < 2000; h++) frames.push([buildTcp({ src: `10.9.${h >> 8}.${h & 255}`, dst: `10.8.${h >> 8}.${h & 255}`, sport: 1000, dport: 80, flags: 'S' }), 6000]);
    const { stage, events } = run(frames, { memcap: 100 * TRACKER_BYTES });
    expect(stage.trackerCount).toBeLessThanOrEqual(100);
    // Two trackers (scanned and scanner) per packet, 100 kept.
    expect(stage.pruned).toBe(2 * 2000 - 100);
    expect(events).toEqual([]);
  });

  it('spares the trackers of a scan that drew rejects when pruning, so the scan is still raised', () => {
    const scan = synScan(5, true);
    const flood: Timed[] = [];
    for (let h = 0; h < 30; h++) flood.push([buildTcp({ src: `10.9.0.${h}`, dst: `10.8.0.${h}`, sport: 1000, dport: 80, flags: 'S' }), 1000]);
    // The first refused port, 30 other hosts (60 trackers through a table of 10), then 4 more refused ports.
    const { stage, events } = run([...scan.slice(0, 2), ...flood, ...scan.slice(2)], { sensitivity: 'low', memcap: 10 * TRACKER_BYTES });
    expect(stage.pruned).toBeGreaterThan(0);
    expect(events.map((e) => [e.num, e.sid])).toEqual([[2 + 30 + 8, 1]]);
  });

  it('rejects a bad CIDR or an unknown key with IDS_CONFIG naming the key', () => {
    expect(() => new PortScanStage({ watch_ip: ['10.0.0.0/33'] })).toThrow(expect.objectContaining({ code: 'IDS_CONFIG', message: expect.stringContaining('port_scan.watch_ip') }));
    expect(() => new PortScanStage({ sensitivity: 'paranoid' as 'low' })).toThrow(expect.objectContaining({ code: 'IDS_CONFIG', message: expect.stringContaining('port_scan.sensitivity') }));
    expect(new PortScanStage({ ignore_scanners: ['2001:db8::/32', '::ffff:10.0.0.1', '10.0.0.0/8'] }).name).toBe('port_scan');
  });

  it('handles IPv6 scans with hashed host keys', () => {
    const frames: Timed[] = [];
    for (let i = 0; i < 30; i++) {
      frames.push([buildTcp({ src: '2001:db8::66', dst: '2001:db8::10', sport: 40000 + i, dport: 1 + i, flags: 'S' }), 7000]);
      frames.push([buildTcp({ src: '2001:db8::10', dst: '2001:db8::66', sport: 1 + i, dport: 40000 + i, flags: 'RA', seq: 0, ack: 2 }), 7000]);
    }
    expect(run(frames).events.map((e) => [e.num, e.sid])).toEqual([[29, 1]]);
    expect(run(frames, { ignore_scanners: ['2001:db8::/64'] }).events).toEqual([]);
  });

  it('never throws on random and mutated packets (fuzz)', () => {
    let seed = 12345;
    const rnd = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const bases = [
      ...synScan(3, true).map((f) => f[0]),
      buildUdp({ src: SCANNER, dst: TARGET, sport: 1, dport: 2 }),
      buildIcmp({ src: TARGET, dst: SCANNER, type: 3, code: 3, payload: buildUdp({ src: SCANNER, dst: TARGET, sport: 1, dport: 2, rawIp: true }) }),
      buildIcmp({ src: '2001:db8::1', dst: '2001:db8::2', type: 1, code: 4, payload: new Uint8Array(48).fill(0x60) }),
    ];
    const stage = new PortScanStage({ sensitivity: 'high', memcap: 64 * TRACKER_BYTES });
    const flow = new BasicFlowStage();
    for (let i = 0; i < 5000; i++) {
      const base = bases[Math.floor(rnd() * bases.length)];
      const data = i % 3 === 0 ? Uint8Array.from({ length: Math.floor(rnd() * 120) }, () => Math.floor(rnd() * 256)) : base.slice(0, Math.max(14, Math.floor(rnd() * (base.length + 1))));
      if (i % 3 === 1) for (let k = 0; k < 4; k++) data[Math.floor(rnd() * data.length)] = Math.floor(rnd() * 256);
      const pkt = decodePacket({ num: i + 1, tsSec: 1000 + Math.floor(i / 50), tsUsec: 0, linkType: 1, data, wireLen: data.length });
      expect(() => {
        flow.onPacket(pkt);
        stage.onPacket(pkt);
      }).not.toThrow();
    }
    expect(stage.trackerCount).toBeLessThanOrEqual(64);
  });
});

const missing = sharedMissing('ids', 'pcaps');
if (missing) console.warn(missing);

/** Runs a shared capture through the flow stage and port_scan. */
function runPcap(name: string, config: PortScanConfig): Raised[] {
  const stage = new PortScanStage(config);
  const flow = new BasicFlowStage();
  const events: Raised[] = [];
  for (const raw of readCaptureFile(sharedPath('ids', 'pcaps', name))) {
    const pkt = decodePacket(raw);
    flow.onPacket(pkt);
    stage.onPacket(pkt);
    collect(pkt, events);
  }
  return events;
}

const NMAP_HOST = 0xac100008; // 172.16.0.8
const SCANME = 0x400d8634; // 64.13.134.52

describe.skipIf(missing)('PortScanStage on the real scan captures', () => {
  it('cs-synscan (nmap -sS, 1000 ports, 5 RSTs, 12 SYN/ACKs): 122:1 at the 5th RST (low), 122:5 at the 200th unanswered SYN (medium, high)', () => {
    // low: 5 rejects and 5 ports; the RSTs are packets 14, 47, 118, 571, 1233; filtered events are off.
    expect(runPcap('cs-synscan.pcap', { sensitivity: 'low' })).toEqual([{ num: 1233, sid: 1, src: SCANME }]);
    // medium and high: only 5 RSTs (< 10 at medium); the target's tracker passes 200 unanswered
    // attempts first, and one event per tracker per window means no 122:1 afterwards at high.
    const med = runPcap('cs-synscan.pcap', { sensitivity: 'medium' });
    expect(med.map((e) => [e.sid, e.src])).toEqual([[5, NMAP_HOST]]);
    const high = runPcap('cs-synscan.pcap', { sensitivity: 'high' });
    expect(high).toEqual(med);
  });

  it('cs-portscan (29 unanswered SYNs to 29 ports): nothing at Snort sensitivities, 122:5 with 25-attempt thresholds', () => {
    for (const sensitivity of ['low', 'medium', 'high'] as const) expect(runPcap('cs-portscan.pcap', { sensitivity })).toEqual([]);
    const custom = runPcap('cs-portscan.pcap', { tcp_ports: { scans: 25, rejects: 15, nets: 25, ports: 25 } });
    expect(custom.map((e) => [e.num, e.sid])).toEqual([[25, 5]]);
  });

  it('cs-activeosfingerprinting (nmap -O probes, all SYNs answered, 2 pings): nothing at any sensitivity', () => {
    for (const sensitivity of ['low', 'medium', 'high'] as const) expect(runPcap('cs-activeosfingerprinting.pcap', { sensitivity })).toEqual([]);
  });

  it('runs inside runIds after the pipeline\'s flow stage with the same result', async () => {
    const ps = new PortScanStage({ sensitivity: 'low' });
    await runIds({ pcaps: [sharedPath('ids', 'pcaps', 'cs-synscan.pcap')], rules: [], alertMode: 'none', stages: [ps] });
    expect([...ps.counts]).toEqual([[1, 1]]);
    expect(ps.tracked).toBeGreaterThan(2000);
  });
});
