/**
 * Rule parser fuzzing: mutated real rules (from ../shared when present, else a built-in sample) must
 * never make loadRules throw; every failure is reported with the file and a line; loaded mutants must
 * evaluate on random packets without throwing.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makePacket } from '../../../../../test/ids/packet.js';
import { sharedMissing, sharedPath } from '../../../../../test/support/shared.js';
import { createEvalState, matchRule } from '../eval.js';
import { snortDefaultVariables } from '../variables.js';
import { loadRules } from './load.js';

const SAMPLE = [
  'alert tcp $EXTERNAL_NET any -> $HOME_NET 445 (msg:"smb"; flow:to_server,established; content:"|FF|SMB3|00 00 00 00|",depth 9,offset 4; byte_extract:2,26,TotalDataCount,relative,little; byte_test:2,>,TotalDataCount,20,relative,little; metadata:policy balanced-ips drop; service:netbios-ssn; classtype:attempted-admin; sid:41978; rev:5;)',
  'alert tcp $EXTERNAL_NET any -> $HTTP_SERVERS $HTTP_PORTS (msg:"ET sqli"; flow:established,to_server; uricontent:"/default.asp?"; nocase; uricontent:"SELECT"; nocase; pcre:"/SELECT.+FROM/Ui"; reference:cve,CVE-2006-6181; classtype:web-application-attack; sid:2007277; rev:5;)',
  'alert http $HOME_NET any -> $EXTERNAL_NET any (msg:"ET INFO"; flow:established,to_server; http.uri; content:".ser"; endswith; http.user_agent; content:"Java/1."; classtype:bad-unknown; sid:2016504; rev:5; metadata:created_at 2013_02_26;)',
  'alert dns $HOME_NET any -> any any (msg:"ET DNS"; dns.query; dotprefix; content:".evil.example"; nocase; endswith; bsize:<40; classtype:trojan-activity; sid:2030000; rev:1;)',
  'alert tcp any any -> any 21 (msg:"ftp"; flow:to_server,established; content:"USER",nocase; content:"w0rm",distance 1,nocase; pcre:"/^USER\\s+w0rm/ims"; service:ftp; classtype:suspicious-login; sid:144; rev:16;)',
  'alert icmp any any -> any any (msg:"icmp"; itype:8; icode:0; icmp_id:0; dsize:>800; ttl:<5; threshold:type limit, track by_src, count 1, seconds 60; sid:9; rev:1;)',
  'alert tcp any any -> any any (msg:"flags"; flags:S,12; flowbits:set,a; flowbits:noalert; isdataat:!10,relative; byte_jump:4,0,relative,align; sid:10;)',
];

function corpus(): string[] {
  if (sharedMissing('ids', 'rules')) return SAMPLE;
  const out = [...SAMPLE];
  for (const f of ['snort3-community/snort3-community.rules', 'et-open-snort-2.9.0/emerging-web_specific_apps.rules', 'et-open-suricata-5.0/emerging-malware.rules']) {
    let text = '';
    try {
      text = readFileSync(sharedPath('ids', 'rules', f), 'utf8');
    } catch {
      continue;
    }
    const lines = text.split('\n').filter((l) => /^alert /.test(l));
    for (let i = 0; i < lines.length; i += Math.max(1, Math.floor(lines.length / 150))) out.push(lines[i]!);
  }
  return out;
}

/** Small deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ';:"(),|\\!$[] -><0123456789abcxyz/*+?{}^.\n#';

function mutate(text: string, r: () => number): string {
  let s = text;
  const n = 1 + Math.floor(r() * 4);
  for (let k = 0; k < n; k++) {
    const i = Math.floor(r() * (s.length + 1));
    const op = Math.floor(r() * 6);
    if (op === 0) s = s.slice(0, i) + s.slice(i + 1);
    else if (op === 1) s = s.slice(0, i) + ALPHABET[Math.floor(r() * ALPHABET.length)] + s.slice(i);
    else if (op === 2) s = s.slice(0, i);
    else if (op === 3) {
      const j = Math.floor(r() * s.length);
      s = s.slice(0, i) + s.slice(j, j + 20) + s.slice(i);
    } else if (op === 4) s = s.slice(0, i) + String.fromCharCode(Math.floor(r() * 256)) + s.slice(i + 1);
    else s = s.replace(/\d+/, String(Math.floor(r() * 70000) - 100));
  }
  return s;
}

describe('rule parser fuzzing', () => {
  it('never throws on mutated rules, always reports file:line, and loaded mutants evaluate safely', () => {
    const rules = corpus();
    const r = rng(20261123);
    const vars = snortDefaultVariables();
    const state = createEvalState();
    const packets = Array.from({ length: 4 }, (_, i) => {
      const payload = new Uint8Array(40 + i * 50);
      for (let j = 0; j < payload.length; j++) payload[j] = Math.floor(r() * 256);
      return makePacket({ payload, dstPort: [80, 445, 21, 53][i] });
    });
    const buffers = { get: (n: string) => (n === 'http_uri' ? Buffer.from('/default.asp?x=SELECT 1 FROM t') : undefined) };
    let loaded = 0;
    let failed = 0;
    const iterations = 3000;
    for (let i = 0; i < iterations; i++) {
      const text = [mutate(rules[i % rules.length]!, r), mutate(rules[(i * 7) % rules.length]!, r)].join('\n');
      const res = loadRules([{ text, name: 'fuzz.rules' }], vars);
      for (const e of res.errors) {
        expect(e.file).toBe('fuzz.rules');
        expect(e.line).toBeGreaterThanOrEqual(1);
        expect(e.reason.length).toBeGreaterThan(0);
      }
      failed += res.stats.failed;
      for (const rule of res.rules) {
        loaded++;
        for (const p of packets) matchRule(rule, p, { get: (n) => buffers.get(n) ?? (n === 'pkt_data' ? p.payload : undefined) }, state);
      }
    }
    // Both paths were exercised.
    expect(loaded).toBeGreaterThan(100);
    expect(failed).toBeGreaterThan(100);
  });
});

describe.skipIf(sharedMissing('ids', 'rules'))('evaluation fuzzing on the real rulesets', () => {
  it('evaluates every community and ET rule on random packets and buffers without throwing or stalling', () => {
    const vars = snortDefaultVariables();
    const files = ['snort3-community/snort3-community.rules', 'et-open-suricata-5.0/emerging-malware.rules', 'et-open-snort-2.9.0/emerging-web_specific_apps.rules'];
    const rules = loadRules(files.map((f) => ({ path: sharedPath('ids', 'rules', f) })), vars).rules;
    expect(rules.length).toBeGreaterThan(8000);
    const r = rng(7);
    const state = createEvalState();
    const names = [...new Set(rules.flatMap((x) => x.buffers))];
    const t0 = performance.now();
    for (let k = 0; k < 3; k++) {
      const payload = new Uint8Array(64 + Math.floor(r() * 1400));
      // Printable-heavy bytes so contents, pcres and byte_* options get past their first checks sometimes.
      for (let j = 0; j < payload.length; j++) payload[j] = r() < 0.8 ? 0x20 + Math.floor(r() * 95) : Math.floor(r() * 256);
      const p = makePacket({ payload, dstPort: 80 });
      const bufs = new Map(names.map((n) => [n, payload.subarray(Math.floor(r() * 32))]));
      for (const rule of rules) matchRule(rule, p, { get: (n) => bufs.get(n) }, state);
    }
    expect(performance.now() - t0).toBeLessThan(20_000);
  }, 60_000);
});
