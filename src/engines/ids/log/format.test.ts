import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makePacket } from '../../../../test/ids/packet.js';
import { formatFast, formatFull, formatIpv6, formatJson, formatTimestamp, tcpFlagString, type LoggedAlert } from './format.js';
import { createAlertSink } from './writer.js';
import { emptyStats, formatStats } from './stats.js';

// 2023-11-14T22:13:20Z
const TS = 1_700_000_000;

function alert(over: Partial<LoggedAlert> = {}, pkt = makePacket({ tsSec: TS, tsUsec: 42, num: 7, payload: 'GET / HTTP/1.0\r\n\r\n' })): LoggedAlert {
  return { gid: 1, sid: 1000001, rev: 3, msg: 'TEST "quoted" msg', classtype: 'attempted-recon', classtypeName: 'Attempted Information Leak', priority: 2, action: 'alert', packet: pkt, ...over };
}

describe('alert formats', () => {
  it('prints timestamps as MM/DD-HH:MM:SS.uuuuuu in UTC', () => {
    expect(formatTimestamp(TS, 42)).toBe('11/14-22:13:20.000042');
  });

  it('writes alert_fast lines exactly like Snort 3', () => {
    expect(formatFast(alert())).toBe(
      '11/14-22:13:20.000042 [**] [1:1000001:3] "TEST \\"quoted\\" msg" [**] [Classification: Attempted Information Leak] [Priority: 2] {TCP} 10.0.0.1:40000 -> 192.168.1.2:80',
    );
  });

  it('leaves out the classification when the rule has none and ports for ICMP', () => {
    const ev = alert({ classtype: undefined, classtypeName: undefined }, makePacket({ proto: 'icmp', tsSec: TS, tsUsec: 1 }));
    expect(formatFast(ev)).toBe('11/14-22:13:20.000001 [**] [1:1000001:3] "TEST \\"quoted\\" msg" [**] [Priority: 2] {ICMP} 10.0.0.1 -> 192.168.1.2');
  });

  it('marks would-be drops in alert_fast like Snort', () => {
    expect(formatFast(alert({ action: 'drop', verdict: 'would_drop' }))).toMatch(/^11\/14-22:13:20\.000042 \[would_drop\] \[\*\*\] \[1:1000001:3\]/);
  });

  it('writes alert_json with Snort 3 field names, order and spacing', () => {
    const line = formatJson(alert({ verdict: 'allow' }));
    expect(line).toBe(
      '{ "timestamp" : "11/14-22:13:20.000042", "pkt_num" : 7, "proto" : "TCP", "pkt_len" : 58, "dir" : "UNK", "src_addr" : "10.0.0.1", "src_port" : 40000, "dst_addr" : "192.168.1.2", "dst_port" : 80, "gid" : 1, "sid" : 1000001, "rev" : 3, "msg" : "TEST \\"quoted\\" msg", "class" : "Attempted Information Leak", "priority" : 2, "action" : "allow" }',
    );
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['timestamp', 'pkt_num', 'proto', 'pkt_len', 'dir', 'src_addr', 'src_port', 'dst_addr', 'dst_port', 'gid', 'sid', 'rev', 'msg', 'class', 'priority', 'action']);
  });

  it('omits ports in alert_json for packets without TCP/UDP and prints IPv6 compressed', () => {
    const pkt = makePacket({ proto: 'icmp', src: '2001:db8::1', dst: 'fe80::2:0:0:3', tsSec: TS });
    const parsed = JSON.parse(formatJson(alert({}, pkt))) as Record<string, unknown>;
    expect(parsed.src_addr).toBe('2001:db8::1');
    expect(parsed.dst_addr).toBe('fe80::2:0:0:3');
    expect(parsed).not.toHaveProperty('src_port');
    expect(parsed.proto).toBe('ICMP');
  });

  it('compresses only the longest zero run of 2+ groups in IPv6', () => {
    expect(formatIpv6(Uint8Array.from([0x20, 0x01, 0, 0x0d, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]))).toBe('2001:d::1:0:0:1');
    expect(formatIpv6(new Uint8Array(16))).toBe('::');
    expect(formatIpv6(Uint8Array.from([0, 1, 0, 0, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7]))).toBe('1:0:2:3:4:5:6:7');
  });

  it('writes alert_full blocks with the IP and TCP header lines and references', () => {
    const text = formatFull(alert({ references: [{ system: 'cve', id: '2020-0001' }] }));
    expect(text.split('\n')).toEqual([
      '[**] [1:1000001:3] "TEST \\"quoted\\" msg" [**]',
      '[Classification: Attempted Information Leak] [Priority: 2] ',
      '11/14-22:13:20.000042 10.0.0.1:40000 -> 192.168.1.2:80',
      'TCP TTL:64 TOS:0x0 ID:1 IpLen:20 DgmLen:58 DF',
      '***AP*** Seq: 0x1  Ack: 0x0  Win: 0xFFFF  TcpLen: 20',
      '[Xref => cve 2020-0001]',
      '',
      '',
    ]);
  });

  it('prints TCP flags in Snort order with stars for unset bits', () => {
    expect(tcpFlagString(0x02)).toBe('******S*');
    expect(tcpFlagString(0xff)).toBe('12UAPRSF');
  });
});

describe('alert sinks', () => {
  it('writes alert_fast.txt / alert_json.txt / alert_full.txt in the log directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-log-'));
    try {
      for (const mode of ['fast', 'json', 'full'] as const) {
        const sink = createAlertSink(mode, dir);
        for (let i = 0; i < 3000; i++) sink.write(alert());
        sink.close();
      }
      expect(readFileSync(join(dir, 'alert_fast.txt'), 'utf8').trimEnd().split('\n')).toHaveLength(3000);
      const json = readFileSync(join(dir, 'alert_json.txt'), 'utf8').trimEnd().split('\n');
      expect(json).toHaveLength(3000);
      expect(() => json.forEach((l) => JSON.parse(l))).not.toThrow();
      expect(readFileSync(join(dir, 'alert_full.txt'), 'utf8').split('[**] [1:').length - 1).toBe(3000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sends alerts to the fallback writer without a log directory, and nothing for none', () => {
    const chunks: string[] = [];
    const sink = createAlertSink('fast', undefined, (c) => chunks.push(c));
    sink.write(alert());
    sink.close();
    expect(chunks.join('')).toMatch(/\[1:1000001:3\].*\n$/);
    const none = createAlertSink('none', undefined, (c) => chunks.push(c));
    none.write(alert());
    none.close();
    expect(chunks).toHaveLength(1);
  });
});

describe('formatStats', () => {
  it('lays out counts like Snort 3 with right-aligned names and the throughput', () => {
    const s = { ...emptyStats(), pcaps: 1, packets: 1000, bytes: 1_000_000, tcp: 900, udp: 100, alerts: 5, events: 6, rulesLoaded: 10, runMs: 2000 };
    const text = formatStats(s);
    expect(text).toContain('\n                 received: 1000\n');
    expect(text).toContain('\n                      tcp: 900\t(90.000%)\n');
    expect(text).toContain('\n                   alerts: 5\n');
    expect(text).toContain('\n                Mbits/sec: 4\n');
    expect(text).toContain('\n                  runtime: 00:00:02\n');
  });
});
