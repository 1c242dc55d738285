/**
 * Real captures from ../shared/ids/pcaps, decoded by the decode stage and evaluated against every rule of
 * the real rulesets one by one (no prefilter, no flows, no thresholds), so what is asserted is what a
 * careful reading of the rules and the packets predicts for rule evaluation alone.
 */
import { describe, expect, it } from 'vitest';
import { sharedMissing, sharedPath } from '../../../../test/support/shared.js';
import { readCaptureFile } from '../acquire/index.js';
import { decodePacket } from '../decode/index.js';
import type { Packet } from '../types.js';
import { createEvalState, matchHeader, matchRule } from './eval.js';
import { loadRules } from './parser/load.js';
import type { Rule } from './types.js';
import { snortDefaultVariables } from './variables.js';

const missing = sharedMissing('ids', 'pcaps') ?? sharedMissing('ids', 'rules');
if (missing) console.warn(missing);

function rulesFrom(file: string): Rule[] {
  const vars = snortDefaultVariables();
  vars.set('HOME_NET', '[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]');
  return loadRules([{ path: sharedPath('ids', 'rules', file) }], vars).rules;
}

function packets(name: string): Packet[] {
  return [...readCaptureFile(sharedPath('ids', 'pcaps', name))].map((raw) => decodePacket(raw));
}

/** sid -> number of packets the rule matches. */
function matches(rules: readonly Rule[], pkts: readonly Packet[]): Map<number, number> {
  const state = createEvalState();
  const out = new Map<number, number>();
  for (const p of pkts) {
    const bufs = { get: (n: string) => (n === 'pkt_data' ? p.payload : undefined) };
    for (const r of rules) if (matchHeader(r, p) && matchRule(r, p, bufs, state)) out.set(r.sid, (out.get(r.sid) ?? 0) + 1);
  }
  return out;
}

describe.skipIf(missing)('real captures against the real rulesets', () => {
  const community = missing ? [] : rulesFrom('snort3-community/snort3-community.rules');

  it('cs-icmp_echo: 4 Windows pings and 4 replies hit the PROTOCOL-ICMP rules', () => {
    const pkts = packets('cs-icmp_echo.pcap');
    // The oracle, read off the packets: Windows echo requests carry "abcdefghijklmnopqrstuvwabcdefghi".
    const requests = pkts.filter((p) => p.icmp?.type === 8 && p.icmp.code === 0);
    const replies = pkts.filter((p) => p.icmp?.type === 0 && p.icmp.code === 0);
    expect(requests.every((p) => Buffer.from(p.payload).toString('latin1').startsWith('abcdefghijklmnop'))).toBe(true);
    expect([requests.length, replies.length]).toEqual([4, 4]);
    const m = matches(community, pkts);
    // 382 PING Windows (itype 8 + "abcdefghijklmnop" at depth 16), 384 PING (any echo request),
    // 408 Echo Reply, and 29456 "Unusual PING" (its negated contents are upper-case or other payloads,
    // so the lower-case Windows payload is "unusual" for it) — and nothing else.
    expect(Object.fromEntries(m)).toEqual({ 382: 4, 384: 4, 408: 4, 29456: 4 });
  });

  it('cs-icmp_traceroute: echo requests to an outside host, TTL-exceeded from the home gateway', () => {
    const pkts = packets('cs-icmp_traceroute.pcap');
    const m = matches(community, pkts);
    const home = (ip: number): boolean => ip >>> 16 === 0xc0a8 || ip >>> 24 === 10 || ip >>> 20 === 0xac1;
    const fromHome = (p: Packet, type: number): boolean => p.icmp?.type === type && p.ip?.version === 4 && home(p.ip.src);
    const expected = {
      // HOME -> any echo requests whose payload is none of the known pingers' (Linux traceroute sends 64 bytes of other data).
      29456: pkts.filter((p) => fromHome(p, 8)).length,
      // 449 is $HOME_NET -> $EXTERNAL_NET time-exceeded: only the home gateway's replies qualify.
      449: pkts.filter((p) => fromHome(p, 11)).length,
      408: pkts.filter((p) => p.icmp?.type === 0).length,
    };
    expect(expected).toEqual({ 29456: 27, 449: 3, 408: 3 });
    expect(Object.fromEntries(m)).toEqual(expected);
  });

  it('cs-activeosfingerprinting: ET sees the nmap UDP probe (300 bytes of "C") and SYNs to port 135', () => {
    const rules = rulesFrom('et-open-snort-2.9.0/emerging-scan.rules');
    const pkts = packets('cs-activeosfingerprinting.pcap');
    const m = matches(rules, pkts);
    const udpProbe = pkts.filter((p) => p.udp && p.dstPort >= 10000 && p.srcPort >= 10000 && p.payload.length === 300 && p.payload.every((b) => b === 0x43));
    // flags:S,12 = exactly SYN once the two reserved/ECN bits are ignored.
    const syn135 = pkts.filter((p) => p.tcp && p.dstPort === 135 && (p.tcp.flags & 0x3f) === 0x02);
    expect(udpProbe.length).toBeGreaterThan(0);
    expect(m.get(2018489)).toBe(udpProbe.length);
    expect(m.get(2001581)).toBe(syn135.length);
  });
});
