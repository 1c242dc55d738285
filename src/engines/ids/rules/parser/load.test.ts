import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createVariableTable, snortDefaultVariables } from '../variables.js';
import { loadRules } from './load.js';
import { checkRules, formatCheckReport } from '../check.js';

const load = (text: string, vars = snortDefaultVariables()) => loadRules([{ text, name: 'test.rules' }], vars);

describe('loadRules', () => {
  it('joins lines ending in a backslash, skips comments and counts disabled rules', () => {
    const r = load(
      [
        '# a comment',
        '',
        'alert tcp any any -> any 80 (msg:"multi"; \\',
        '  content:"GET"; \\',
        '  sid:1;)',
        '# alert tcp any any -> any 80 (msg:"off"; sid:2;)',
        'alert udp any any -> any 53 (msg:"dns"; sid:3;)',
      ].join('\n'),
    );
    expect(r.errors).toEqual([]);
    expect(r.rules.map((x) => [x.sid, x.line])).toEqual([
      [1, 3],
      [3, 7],
    ]);
    expect(r.stats).toMatchObject({ total: 2, loaded: 2, failed: 0, disabled: 1 });
  });

  it('reports a bad rule with file:line and reason, and goes on loading', () => {
    const r = load(['alert tcp any any -> any any (msg:"x"; nosuch:1; sid:10;)', 'alert tcp any any -> any any (msg:"ok"; sid:11;)', 'alert tcp any any -> any (msg:"short"; sid:12;)'].join('\n'));
    expect(r.rules.map((x) => x.sid)).toEqual([11]);
    expect(r.errors.map((e) => [e.file, e.line, e.kind, e.sid])).toEqual([
      ['test.rules', 1, 'unknown-option', 10],
      ['test.rules', 3, 'syntax', 12],
    ]);
    expect(r.errors[0]!.reason).toBe('unknown option "nosuch"');
    expect(r.errors[0]!.code).toBe('IDS_RULE_PARSE');
  });

  it('names an undefined variable in the header', () => {
    const r = load('alert tcp $NOWHERE any -> any any (msg:"x"; sid:1;)', createVariableTable());
    expect(r.errors[0]).toMatchObject({ kind: 'undefined-variable', code: 'IDS_RULE_VARIABLE', line: 1 });
    expect(r.errors[0]!.reason).toContain('undefined variable $NOWHERE');
  });

  it('follows include and var lines relative to the including file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-rules-'));
    writeFileSync(join(dir, 'main.rules'), 'ipvar LAB [10.9.0.0/16]\nportvar WEB [80,8080]\ninclude sub.rules\ninclude missing.rules\n');
    writeFileSync(join(dir, 'sub.rules'), 'alert tcp $LAB any -> any $WEB (msg:"sub"; sid:5;)\n');
    const r = loadRules([{ path: join(dir, 'main.rules') }], createVariableTable());
    expect(r.rules.map((x) => x.sid)).toEqual([5]);
    expect(r.rules[0]!.file).toBe(join(dir, 'sub.rules'));
    expect(r.rules[0]!.src.matches(0x0a090101)).toBe(true);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ kind: 'io', code: 'IDS_RULE_FILE', file: join(dir, 'main.rules'), line: 4 });
  });

  it('keeps the higher revision of a duplicate gid:sid and reports the other', () => {
    const r = load('alert tcp any any -> any any (msg:"old"; sid:7; rev:2;)\nalert tcp any any -> any any (msg:"new"; sid:7; rev:3;)');
    expect(r.rules.map((x) => x.msg)).toEqual(['new']);
    expect(r.errors[0]).toMatchObject({ kind: 'duplicate', code: 'IDS_RULE_DUPLICATE', line: 1 });
  });

  it('reads Snort 3 service headers, header-less rules and <> rules', () => {
    const r = load(
      ['alert http (msg:"h"; http_uri; content:"/x"; sid:1;)', 'alert (msg:"any"; content:"zz"; sid:2;)', 'alert tcp 10.0.0.1 any <> 10.0.0.2 23 (msg:"bi"; sid:3;)'].join('\n'),
    );
    expect(r.errors).toEqual([]);
    const [h, any, bi] = r.rules;
    expect([h!.proto, h!.ipProto, h!.services, h!.headerless, h!.syntax]).toEqual(['http', 6, ['http'], true, 'snort3']);
    expect([any!.proto, any!.ipProto, any!.src.any]).toEqual(['ip', -1, true]);
    expect(bi!.bidirectional).toBe(true);
  });

  it('chooses the fast pattern as Snort does', () => {
    const r = load(
      [
        'alert tcp any any -> any any (msg:"longest"; content:"ab"; content:"abcdef"; content:"abc"; sid:1;)',
        'alert tcp any any -> any any (msg:"explicit"; content:"abcdef"; content:"xy"; fast_pattern; sid:2;)',
        'alert tcp any any -> any any (msg:"uri wins tie"; content:"abcd"; content:"wxyz"; http_uri; sid:3;)',
        'alert tcp any any -> any any (msg:"negated only"; content:!"abcd"; sid:4;)',
        'alert tcp any any -> any any (msg:"only,chop"; content:"ABCDEFGH"; nocase; fast_pattern:2,3; sid:5;)',
      ].join('\n'),
    );
    const fp = r.rules.map((x) => (x.fastPattern ? [Buffer.from(x.fastPattern.bytes).toString(), x.fastPattern.buffer, x.fastPattern.nocase] : undefined));
    expect(fp).toEqual([['abcdef', 'pkt_data', false], ['xy', 'pkt_data', false], ['wxyz', 'http_uri', false], undefined, ['cde', 'pkt_data', true]]);
  });

  it('uses classtype priorities from a classification.config beside the rules', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-rules-'));
    writeFileSync(join(dir, 'classification.config'), 'config classification: my-class,Mine,4\n');
    writeFileSync(join(dir, 'a.rules'), 'alert tcp any any -> any any (msg:"x"; classtype:my-class; sid:1;)\nalert tcp any any -> any any (msg:"y"; classtype:attempted-admin; sid:2;)\n');
    const r = loadRules([{ path: join(dir, 'a.rules') }], createVariableTable());
    expect(r.rules.map((x) => x.priority)).toEqual([4, 1]);
  });

  it('summarises totals and reasons for --check-rules', () => {
    const report = checkRules([{ text: 'alert tcp any any -> any any (msg:"a"; sid:1;)\nalert tcp any any -> any any (msg:"b"; app-layer-event:http.invalid_transfer_encoding_value_in_request; sid:2;)\n# alert tcp any any -> any any (msg:"c"; sid:3;)', name: 'c.rules' }], snortDefaultVariables());
    expect(report).toMatchObject({ total: 2, loaded: 1, failed: 1, disabled: 1, loadRatio: 0.5, byReason: { 'unknown option "app-layer-event"': 1 } });
    expect(formatCheckReport(report)).toContain('c.rules:2: unknown option "app-layer-event" (sid 2) [IDS_RULE_PARSE]');
  });
});

describe('loadRules sharing', () => {
  const cfgOf = (rule: unknown, i = 0) => (rule as { ops: { cfg: { pattern: Uint8Array; compiled: unknown; depth?: unknown } }[] }).ops[i]!.cfg;

  it('shares one config between equal contents of one load and keeps different ones apart', () => {
    const r = load(
      [
        'alert tcp any any -> any 80 (msg:"a"; content:"GET|20|/x"; depth:9; sid:1;)',
        'alert tcp any any -> any 81 (msg:"b"; content:"GET|20|/x"; depth:9; sid:2;)',
        'alert tcp any any -> any 82 (msg:"c"; content:"GET|20|/x"; depth:10; sid:3;)',
        'alert tcp any any -> any 83 (msg:"d"; content:"GET|20|/x"; depth:9; nocase; sid:4;)',
      ].join('\n'),
    );
    expect(r.errors).toEqual([]);
    const [a, b, c, d] = r.rules.map((x) => cfgOf(x));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(c!.pattern).toBe(a!.pattern);
    expect(c!.compiled).toBe(a!.compiled);
    expect(d!.compiled).not.toBe(a!.compiled);
    expect(Buffer.from(a!.pattern).toString()).toBe('GET /x');
  });

  it('shares nothing between two loads', () => {
    const text = 'alert tcp any any -> any 80 (msg:"a"; content:"abc"; sid:1;)';
    expect(cfgOf(load(text).rules[0])).not.toBe(cfgOf(load(text).rules[0]));
  });
});
