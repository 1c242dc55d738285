import { describe, expect, it } from 'vitest';
import { loadRules } from '../parser/load.js';
import { snortDefaultVariables } from '../variables.js';
import { RuleMetadata } from './metadata.js';

function rule(options: string) {
  const { rules, errors } = loadRules([{ text: `alert tcp any any -> any 80 (msg:"m"; ${options} sid:1;)`, name: 'inline.rules' }], snortDefaultVariables());
  return { rule: rules[0], errors };
}

describe('metadata', () => {
  it('reads the pairs of every metadata option in rule order, with target replacing its key where it stands', () => {
    const { rule: r } = rule('metadata:policy balanced-ips drop, created_at 2020_01_01; target:src_ip; metadata:policy security-ips drop, target dest_ip, flag;');
    expect([...r!.metadata]).toEqual([
      ['policy', ['balanced-ips drop', 'security-ips drop']],
      ['created_at', ['2020_01_01']],
      ['target', ['src_ip', 'dest_ip']],
      ['flag', ['']],
    ]);
    expect(r!.metadata.size).toBe(4);
    expect(r!.metadata.has('flag')).toBe(true);
  });

  it('refuses a metadata option with no pair, and gives a rule without metadata an empty map', () => {
    expect(rule('metadata: , ;').errors.map((e) => e.reason)).toEqual(['metadata: metadata needs key value pairs']);
    expect(rule('').rule!.metadata.size).toBe(0);
  });

  it('applies a set made after the map was read', () => {
    const m = new RuleMetadata();
    m.addText('a 1');
    expect(m.get('a')).toEqual(['1']);
    m.set('target', ['src_ip']);
    expect([...m.keys()]).toEqual(['a', 'target']);
  });
});
