/**
 * The real captures of ../shared/ids/pcaps through the whole pipeline (reader, decoder, defrag, flow +
 * TCP reassembly, inspectors, detection, filters) with the Snort 3 community rules and the ET Open
 * (Snort 2.9) rules, and the bench variables (HOME_NET = the private ranges). Each expectation comes
 * from reading the rule and the packet; the comments give the reasoning.
 *
 * TCP data is inspected as reassembled PDUs (as Snort 3 does), so an alert on TCP data is reported on
 * the packet that flushed the PDU: the first packet of the other side carrying data, or FIN/RST, or
 * the flow's end — not on the segment that carried the bytes. The comments name both.
 *
 * Rules are loaded once per ruleset and handed to runIds through its RuleIo, so each capture costs
 * only its own packets.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultRuleIo, runIds, type RuleIo } from '../../src/engines/ids/index.js';
import { loadRules, snortDefaultVariables, type LoadRulesResult } from '../../src/engines/ids/rules/index.js';
import { sharedMissing, sharedPath } from '../support/shared.js';

const missing = sharedMissing('ids', 'pcaps') ?? sharedMissing('ids', 'rules');
if (missing) console.warn(missing);

function benchVariables(): Map<string, string> {
  const vars = snortDefaultVariables();
  vars.set('HOME_NET', '[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]');
  vars.set('EXTERNAL_NET', 'any');
  return vars;
}

interface Hit {
  readonly sid: number;
  readonly pkt: number;
}

async function alertsOn(pcap: string, loaded: LoadRulesResult): Promise<Hit[]> {
  const ruleIo: RuleIo = { ...defaultRuleIo, loadRules: () => loaded };
  const hits: Hit[] = [];
  await runIds({ pcaps: [sharedPath('ids', 'pcaps', pcap)], rules: [], alertMode: 'none', onAlert: (a) => hits.push({ sid: a.sid, pkt: a.packet.raw.num }) }, undefined, ruleIo);
  return hits;
}

/** sid -> packet numbers, for compact comparisons. */
function bySid(hits: readonly Hit[]): Record<number, number[]> {
  const out: Record<number, number[]> = {};
  for (const h of hits) (out[h.sid] ??= []).push(h.pkt);
  return out;
}

describe.skipIf(missing)('real pcaps with the Snort 3 community rules', () => {
  let community: LoadRulesResult;
  beforeAll(() => {
    community = loadRules([{ path: sharedPath('ids', 'rules', 'snort3-community', 'snort3-community.rules') }], benchVariables());
  });

  it('alerts on every Windows echo request (382, 384, 29456) and every echo reply (408) in cs-icmp_echo', async () => {
    // 192.168.100.138 pings 192.168.100.1 four times with Windows' "abcdefghijklmnopqrstuvwabcdefghi" payload.
    // Requests: 382 (itype 8 + "abcdefghijklmnop" at depth 16), 384 (itype 8, icode 0) and 29456 (itype 8 whose
    // payload is none of the known benign ones: its exclusions are the uppercase Windows, Linux, ... payloads,
    // and content is case-sensitive). Replies: 408 (itype 0, icode 0). Both hosts are in HOME_NET and
    // EXTERNAL_NET is any, so every header matches. Three events per request fit the default log limit of 3.
    const hits = bySid(await alertsOn('cs-icmp_echo.pcap', community));
    expect(hits).toEqual({ 382: [1, 3, 5, 7], 384: [1, 3, 5, 7], 29456: [1, 3, 5, 7], 408: [2, 4, 6, 8] });
  });

  it('sees the id output in the FTP data connection of sv-ftp-download-passive (498, 1882) and nothing else', async () => {
    // Packet 36 is the passive FTP data transfer of a file holding "uid=0(root) gid=0(root) groups=0(root)".
    // 498 is an ip any any rule for "uid=0(root)"; 1882 ($HOME_NET -> $EXTERNAL_NET, the server is private)
    // needs "uid=", then " gid=" after it, then the pcre uid=\d+\S+\s+gid=\d+ — all there.
    const hits = bySid(await alertsOn('sv-ftp-download-passive.pcap', community));
    // Reported on packet 38, the FIN that flushes the data connection's PDU.
    expect(hits).toEqual({ 498: [38], 1882: [38] });
  });

  it('flags the RDP connection request of sv-rdp once, after the handshake (1448)', async () => {
    // 1448: to_server,established, TPKT "|03 00 00|" at depth 3 and the X.224 connection request
    // "|E0 00 00 00 00 00|" at offset 5. Packets 1-3 are the handshake, packet 4 the first client data.
    const hits = bySid(await alertsOn('sv-rdp.pcap', community));
    // Reported on packet 6, the server's reply that flushes the client's PDU.
    expect(hits).toEqual({ 1448: [6] });
  });

  it('flags /etc/passwd in the normalised URI of cs-http_dvwa_directorytraversal (1122 via http_uri)', async () => {
    // Packet 4: "GET /dvwa/vulnerabilities/fi/?page=../../../../../etc/passwd" to the DVWA server (HOME_NET,
    // port 80). Community 1122 is an http_uri rule ("/etc/passwd", nocase): the HTTP inspector fills
    // http_uri from the request line, so it fires on that packet and nowhere else.
    const hits = bySid(await alertsOn('cs-http_dvwa_directorytraversal.pcap', community));
    // Reported on packet 6, the start of the response, which flushes the request's PDU. The same request
    // also carries "../" and "/../../": community 1199 and 1604 are written for ports 2301 and 4080 but say
    // service:http, and as in Snort 3 a flow whose service is known meets its service rules on any port.
    expect(hits).toEqual({ 1122: [6], 1199: [6], 1604: [6] });
  });

  it('catches the directory listing sent back by the Aurora victim (1292)', async () => {
    // After the exploit the victim (HOME_NET) runs `dir` in a reverse shell; packet 38 carries
    // "Volume Serial Number" to the attacker on an established flow (reported on 39, which flushes it).
    // Before that, the shell's banner "Microsoft Windows XP ... (C) Copyright 1985-2001 Microsoft Corp."
    // is split over packets 28 ("Micr") and 30: only the reassembled PDU (flushed by packet 35) has it
    // whole, so the two cmd.exe banner rules 2123 and 46983 fire there, as in Snort with stream_tcp.
    const hits = bySid(await alertsOn('cs-aurora.pcap', community));
    expect(hits).toEqual({ 1292: [39], 2123: [35], 46983: [35] });
  });
});

describe.skipIf(missing)('real pcaps with the ET Open (Snort 2.9) rules', () => {
  let et: LoadRulesResult;
  beforeAll(() => {
    const dir = sharedPath('ids', 'rules', 'et-open-snort-2.9.0');
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.rules'))
      .sort()
      .map((f) => ({ path: join(dir, f) }));
    et = loadRules(files, benchVariables(), { classificationPath: join(dir, 'classification.config') });
  });

  it('loads at least 99% of the enabled ET rules', () => {
    expect(et.stats.loaded / et.stats.total).toBeGreaterThanOrEqual(0.99);
  });

  it('flags the directory traversal request of cs-http_dvwa_directorytraversal (1122, 1113)', async () => {
    // Packet 4 is "GET /dvwa/vulnerabilities/fi/?page=../../../../../etc/passwd" to the DVWA server (HOME_NET,
    // port 80, established): 1122 wants "/etc/passwd" (nocase) and 1113 wants "../" in the client's data.
    const hits = bySid(await alertsOn('cs-http_dvwa_directorytraversal.pcap', et));
    // Reported on packet 6, which flushes the request's PDU.
    expect(hits).toEqual({ 1122: [6], 1113: [6] });
  });

  it('flags the id output in sv-ftp-download-passive three ways (498, 2100498, 2019284)', async () => {
    // Same packet 36 as above: 498 and its GPL copy 2100498 (fast_pattern:only) match "uid=0(root)";
    // 2019284 wants "uid=" + digits, " gid=" within 5 + digits, " groups=" within 8, from a HOME_NET server.
    const hits = bySid(await alertsOn('sv-ftp-download-passive.pcap', et));
    expect(hits).toEqual({ 498: [38], 2100498: [38], 2019284: [38] });
  });

  it('flags the zone transfer query in cs-dns_axfr (255)', async () => {
    // Packet 6 is the AXFR query over TCP to port 53: QTYPE 252 appears as "|00 00 FC|" at offset >= 15
    // (2-byte length prefix + 12-byte header + the name).
    const hits = bySid(await alertsOn('cs-dns_axfr.pcap', et));
    // Reported on packet 7, the server's answer, which flushes the query's PDU (the 2-byte length came in its own segment).
    expect(hits).toEqual({ 255: [7] });
  });

  it('sees both sides of the RDP handshake in sv-rdp (1448 request, 2001330 confirm)', async () => {
    // 2001330: from_server,established, "|03|" at 0 and "|D0|" (X.224 connection confirm) at offset 5: packet 6.
    const hits = bySid(await alertsOn('sv-rdp.pcap', et));
    // Each reported on the packet that flushes its PDU: the request on 6 (the server's confirm), the
    // confirm on 7 (the client's next data).
    expect(hits).toEqual({ 1448: [6], 2001330: [7] });
  });
});

describe.skipIf(missing)('real pcaps with ET Open (Suricata 5 flavour) HTTP rules', () => {
  let suricata: LoadRulesResult;
  beforeAll(() => {
    // Two files are enough for these captures and keep the test fast.
    const dir = sharedPath('ids', 'rules', 'et-open-suricata-5.0');
    suricata = loadRules(
      ['emerging-web_server.rules', 'emerging-info.rules'].map((f) => ({ path: join(dir, f) })),
      benchVariables(),
    );
  });

  it('flags the SQL injection URIs of cs-http_dvwa_sqlinjection through http.uri (2011037, 2006446)', async () => {
    // `alert http` rules need the flow's service to be http: the HTTP inspector sets it from the request
    // line. Packets 16 and 27 request ...?id=1' UNION SELECT ... VERSION()...: 2006446 wants "UNION" then
    // "SELECT" (nocase) in the normalised URI, 2011037 "SELECT" then "VERSION" at distance >= 1.
    const hits = bySid(await alertsOn('cs-http_dvwa_sqlinjection.pcap', suricata));
    // Reported on 18 and 29, the packets that flush the two requests' PDUs.
    expect(hits[2006446]).toEqual([18, 29]);
    expect(hits[2011037]).toEqual([18, 29]);
  });

  it('flags the request to a .top host in cs-ek_to_cryptowall4 through http.host (2023882)', async () => {
    // Packet 35's Host header ends in ".top"; the rule's pcre /^(\x3a\d{1,5})?$/R accepts only an optional
    // port after it. threshold limit 1 per 30 s by_src keeps it to one alert.
    const hits = bySid(await alertsOn('cs-ek_to_cryptowall4.pcap', suricata));
    // Reported on packet 37, which flushes the request's PDU.
    expect(hits[2023882]).toEqual([37]);
  });
});
