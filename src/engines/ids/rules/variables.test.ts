import { describe, expect, it } from 'vitest';
import { createVariableTable, parseAddressSet, parsePortSet, snortDefaultVariables } from './variables.js';

const ip = (s: string): number => s.split('.').reduce((a, p) => a * 256 + Number(p), 0);
const v6 = (groups: number[]): Uint8Array => {
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
};

function addr(text: string, vars: Record<string, string> = {}) {
  const r = parseAddressSet(text, createVariableTable(vars));
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

describe('address sets', () => {
  it('subtracts negated items from a list and merges ranges', () => {
    const s = addr('[10.0.0.0/8,!10.1.0.0/16,10.1.2.3]');
    expect(s.matches(ip('10.2.3.4'))).toBe(true);
    expect(s.matches(ip('10.1.9.9'))).toBe(false);
    expect(s.matches(ip('10.1.2.3'))).toBe(false); // Snort: negations win over positives in the same list
    expect(s.matches(ip('11.0.0.1'))).toBe(false);
    expect(Array.from(s.v4Ranges)).toEqual([ip('10.0.0.0'), ip('10.0.255.255'), ip('10.2.0.0'), ip('10.255.255.255')]);
  });

  it('resolves nested variables and a negated variable (EXTERNAL_NET = !$HOME_NET)', () => {
    const vars = { HOME_NET: '[192.168.0.0/16,$LAB]', LAB: '[172.16.0.0/12]', EXTERNAL_NET: '!$HOME_NET' };
    const ext = addr('$EXTERNAL_NET', vars);
    expect(ext.negated).toBe(false);
    expect(ext.matches(ip('172.20.1.1'))).toBe(false);
    expect(ext.matches(ip('8.8.8.8'))).toBe(true);
    // An IPv4-only HOME_NET leaves every IPv6 address outside it.
    expect(ext.v6All).toBe(true);
    expect(addr('!$HOME_NET', vars).negated).toBe(true);
  });

  it('handles any, a bare negation, netmask notation and IPv6 prefixes', () => {
    expect(addr('any').any).toBe(true);
    expect(addr('!192.168.1.1').matches(ip('192.168.1.2'))).toBe(true);
    expect(addr('10.0.0.0/255.255.0.0').matches(ip('10.0.200.1'))).toBe(true);
    const s = addr('[2001:db8::/32, ::ffff:10.0.0.1]');
    expect(s.matches(v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]))).toBe(true);
    expect(s.matches(v6([0x2001, 0xdb9, 0, 0, 0, 0, 0, 1]))).toBe(false);
    expect(s.matches(v6([0, 0, 0, 0, 0, 0xffff, 0x0a00, 0x0001]))).toBe(true);
    expect(s.matches(ip('10.0.0.1'))).toBe(false);
  });

  it('names an undefined variable, a cycle and bad items in its errors', () => {
    expect(parseAddressSet('[$NOPE]', createVariableTable())).toEqual({ ok: false, error: 'undefined variable $NOPE' });
    const cyc = parseAddressSet('$A', createVariableTable({ A: '$B', B: '$A' }));
    expect(cyc.ok ? '' : cyc.error).toMatch(/refers to itself/);
    expect(parseAddressSet('300.1.1.1', createVariableTable()).ok).toBe(false);
    expect(parseAddressSet('[10.0.0.0/8', createVariableTable()).ok).toBe(false);
    expect(parseAddressSet('!any', createVariableTable()).ok).toBe(false);
  });

  it('reads dotted quads with leading zeros and refuses malformed ones in long lists', () => {
    const list = parseAddressSet('[001.002.003.004,255.255.255.255,0.0.0.0/32]', createVariableTable());
    expect(list.ok && [...list.value.v4Ranges]).toEqual([0, 0, ip('1.2.3.4'), ip('1.2.3.4'), ip('255.255.255.255'), ip('255.255.255.255')]);
    for (const bad of ['1.2.3', '1.2.3.4.', '.1.2.3', '1..2.3', '1.2.3.1000', '1.2.3.256', '1.2.3.4x']) {
      expect([bad, parseAddressSet(`[10.0.0.1,${bad}]`, createVariableTable()).ok]).toEqual([bad, false]);
    }
  });
});

describe('port sets', () => {
  it('supports ranges, open ranges, negation, nested lists and variables', () => {
    const vars = createVariableTable({ WEB: '[80,8000:8080]' });
    const p = parsePortSet('[$WEB,1024:,!6000:6010]', vars);
    if (!p.ok) throw new Error(p.error);
    expect(p.value.matches(80)).toBe(true);
    expect(p.value.matches(8050)).toBe(true);
    expect(p.value.matches(6005)).toBe(false);
    expect(p.value.matches(443)).toBe(false);
    expect(p.value.matches(65535)).toBe(true);
    const low = parsePortSet(':1023', vars);
    expect(low.ok && low.value.matches(0) && !low.value.matches(1024)).toBe(true);
    const not80 = parsePortSet('!80', vars);
    expect(not80.ok && !not80.value.matches(80) && not80.value.matches(81)).toBe(true);
  });

  it('reads space-separated port variables as Snort 3 writes them', () => {
    const p = parsePortSet('$HTTP_PORTS', snortDefaultVariables());
    expect(p.ok && p.value.matches(8080) && p.value.matches(55555) && !p.value.matches(22)).toBe(true);
  });

  it('rejects bad ports and ranges with a reason', () => {
    const vars = createVariableTable();
    for (const bad of ['70000', '90:80', 'http', '[80', '$MISSING']) {
      const r = parsePortSet(bad, vars);
      expect(r.ok).toBe(false);
    }
    expect(parsePortSet('$MISSING', vars)).toEqual({ ok: false, error: 'undefined variable $MISSING' });
  });
});
