import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTcp, writePcap, type Bytes } from '../../../../../test/support/pcap-writer.js';
import { runIds } from '../../index.js';
import { flowbits, testFlowbits, applyFlowbitsOp, type FlowbitsCfg } from './flowbits.js';

const SERVER = { dst: '192.168.1.2', dport: 8080 };

/** One TCP session from `sport`: handshake, the client payloads (each answered by a server ACK), FINs. */
function session(sport: number, payloads: readonly string[]): Bytes[] {
  const C = { src: '10.0.0.1', sport, ...SERVER };
  const S = { src: SERVER.dst, dst: '10.0.0.1', sport: SERVER.dport, dport: sport };
  let cs = 100;
  let ss = 900;
  const frames: Bytes[] = [buildTcp({ ...C, flags: 'S', seq: cs - 1 }), buildTcp({ ...S, flags: 'SA', seq: ss - 1, ack: cs }), buildTcp({ ...C, flags: 'A', seq: cs, ack: ss })];
  for (const p of payloads) {
    frames.push(buildTcp({ ...C, flags: 'PA', seq: cs, ack: ss, payload: p }));
    cs += p.length;
    // The server answers each request, so each one is its own PDU.
    frames.push(buildTcp({ ...S, flags: 'PA', seq: ss, ack: cs, payload: 'k' }));
    ss += 1;
  }
  return frames;
}

const dir = mkdtempSync(join(tmpdir(), 'vigil-flowbits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

async function alerts(frames: Bytes[], rules: readonly string[]): Promise<Record<number, number>> {
  const pcap = join(dir, `f${n++}.pcap`);
  writePcap(pcap, frames);
  const text = rules.map((r, i) => `alert tcp any any -> any 8080 (msg:"r${i + 1}"; flow:to_server; ${r} sid:${i + 1}; rev:1;)`).join('\n');
  const res = await runIds({ pcaps: [pcap], rules: [{ text, name: 'inline' }], alertMode: 'none', checksums: 'none' });
  const out: Record<number, number> = {};
  for (const [k, v] of res.alertsBySid) out[Number(k.split(':')[1])] = v;
  return out;
}

function cfg(args: string): FlowbitsCfg {
  const r = flowbits.parse(args, { syntax: 'snort2', byteVars: new Map() });
  if (!r.ok) throw new Error(r.error);
  return r.value as FlowbitsCfg;
}

describe('flowbits groups', () => {
  it('setx sets its bits and unsets the other bits of the group, across the packets of one flow', async () => {
    const rules = [
      'content:"one"; flowbits:set,st.one,st.grp; flowbits:noalert;',
      'content:"two"; flowbits:setx,st.two,st.grp; flowbits:noalert;',
      'content:"c3"; flowbits:isset,st.one;',
      'content:"c4"; flowbits:isset,st.two;',
      'content:"c5"; flowbits:isset,any,st.grp;',
      'content:"c6"; flowbits:isset,all,st.grp;',
      'content:"c7"; flowbits:isnotset,any,st.grp;',
    ];
    // Each check in a PDU of its own (at most 3 events are logged per packet).
    const checks = ['c3', 'c4', 'c5', 'c6', 'c7'];
    // one, then two (setx clears one): only st.two is set.
    expect(await alerts(session(40001, ['one', 'two', ...checks]), rules)).toEqual({ 4: 1, 5: 1, 7: 1 });
    // two, then one (set does not clear): both set.
    expect(await alerts(session(40002, ['two', 'one', ...checks]), rules)).toEqual({ 3: 1, 4: 1, 5: 1, 6: 1 });
  });

  it('keeps bits per flow: a bit set in one flow is not seen by another', async () => {
    const rules = ['content:"login"; flowbits:set,fb.auth,fb.grp; flowbits:noalert;', 'content:"cmd"; flowbits:isset,fb.auth;', 'content:"cmd"; flowbits:isnotset,all,fb.grp;'];
    const frames = [...session(40010, ['login']), ...session(40011, ['cmd']), ...session(40012, ['login', 'cmd'])];
    expect(await alerts(frames, rules)).toEqual({ 2: 1, 3: 1 });
  });

  it('unsets, toggles and resets a whole group', async () => {
    const rules = [
      'content:"ab"; flowbits:set,g.a&g.b,g.grp; flowbits:noalert;',
      'content:"unset"; flowbits:unset,all,g.grp; flowbits:noalert;',
      'content:"toggle"; flowbits:toggle,all,g.grp; flowbits:noalert;',
      'content:"reset"; flowbits:reset,g.grp; flowbits:noalert;',
      'content:"check"; flowbits:isset,g.a&g.b;',
      'content:"check"; flowbits:isnotset,all,g.grp;',
      'content:"mark"; flowbits:set,other; flowbits:noalert;',
      'content:"check"; flowbits:isset,other;',
    ];
    expect(await alerts(session(40020, ['ab', 'unset', 'check']), rules)).toEqual({ 6: 1 });
    expect(await alerts(session(40021, ['toggle', 'check']), rules)).toEqual({ 5: 1 });
    // reset,group clears the group only.
    expect(await alerts(session(40022, ['ab', 'mark', 'reset', 'check']), rules)).toEqual({ 6: 1, 8: 1 });
  });

  it('parses the group forms and refuses incomplete ones', () => {
    expect(cfg('isset,any,p.grp')).toMatchObject({ wholeGroup: true, any: true, group: 'p.grp' });
    expect(cfg('isnotset,all,p.grp')).toMatchObject({ wholeGroup: true, any: false });
    expect(cfg('isset,a|b')).toMatchObject({ wholeGroup: false, any: true, bits: ['a', 'b'] });
    expect(cfg('reset')).toMatchObject({ members: undefined });
    for (const bad of ['setx,a', 'unset,all', 'isset,any', 'isset,a|b&c', 'set,a,b,c', 'reset,bad name', 'noalert,x', 'bogus,a', 'set,a,bad group'])
      expect(flowbits.parse(bad, { syntax: 'snort2', byteVars: new Map() }).ok, bad).toBe(false);
  });

  it('applies the operations to a set of bits as Snort describes them', () => {
    cfg('set,u.a,u.grp');
    cfg('set,u.b&u.c,u.grp');
    const bits = new Set(['u.a', 'u.b', 'x']);
    applyFlowbitsOp(cfg('setx,u.c,u.grp'), bits);
    expect([...bits].sort()).toEqual(['u.c', 'x']);
    applyFlowbitsOp(cfg('toggle,all,u.grp'), bits);
    expect([...bits].sort()).toEqual(['u.a', 'u.b', 'x']);
    expect(testFlowbits(cfg('isset,all,u.grp'), bits)).toBe(false);
    expect(testFlowbits(cfg('isnotset,any,u.grp'), bits)).toBe(true);
    expect(testFlowbits(cfg('isset,any,u.grp'), undefined)).toBe(false);
    applyFlowbitsOp(cfg('reset'), bits);
    expect(bits.size).toBe(0);
  });
});
