import { describe, expect, it } from 'vitest';
import { snortDefaultVariables } from '../variables.js';
import { optionRegistry } from '../options/index.js';
import { loadRules } from './load.js';

function load(text: string) {
  return loadRules([{ text, name: 'inline.rules' }], snortDefaultVariables());
}

describe('parseRule option list', () => {
  it('reads option names and arguments around blanks, quoted semicolons and escapes', () => {
    const { rules, errors } = load('alert tcp any any -> any 80 (  msg :  "a;b \\" c" ;content:"x\\;y";  nocase ; sid : 7 ;rev:3;  )');
    expect(errors).toEqual([]);
    const r = rules[0]!;
    expect(r.msg).toBe('a;b " c');
    expect([r.sid, r.rev]).toEqual([7, 3]);
    expect(r.options.map((o) => o.name)).toEqual(['content']);
    expect(Buffer.from(r.fastPattern!.bytes).toString()).toBe('x;y');
    expect(r.fastPattern!.nocase).toBe(true);
  });

  it('refuses a rule whose quoted string is not closed, before looking at its options', () => {
    const { errors } = load('alert tcp any any -> any 80 (nosuch; msg:"open; sid:1;)');
    expect(errors.map((e) => [e.reason, e.kind, e.sid])).toEqual([['a quoted string is not closed', 'syntax', 1]]);
  });

  it('refuses a rule whose last option has no semicolon and quotes that option', () => {
    const { errors } = load('alert tcp any any -> any 80 (msg:"m"; sid:2; rev:1 )');
    expect(errors.map((e) => [e.reason, e.kind, e.line])).toEqual([['the last option "rev:1" is not terminated by ;', 'syntax', 1]]);
  });

  it('names an unknown option, and an option without arguments gets none', () => {
    const { errors } = load('alert tcp any any -> any 80 (msg:"m"; bogus_opt; sid:3;)\nalert tcp any any -> any 80 (msg:"m"; content:"a"; nocase:; sid:4;)');
    expect(errors.map((e) => [e.line, e.kind])).toEqual([[1, 'unknown-option']]);
    expect(errors[0]!.reason).toBe('unknown option "bogus_opt"');
  });

  it('keeps no source text on a loaded rule (alerts and reports use file and line)', () => {
    const { rules } = load('alert tcp any any -> any 80 (msg:"a message long enough to be a slice"; sid:5;)');
    expect(Object.keys(rules[0]!)).not.toContain('text');
    expect([rules[0]!.file, rules[0]!.line]).toEqual(['inline.rules', 1]);
  });

  it('finds every registered option by its name in the rule text, and no name that differs by case or length', () => {
    for (const def of optionRegistry.list()) {
      const { errors } = load(`alert tcp any any -> any 80 (msg:"m"; content:"abc"; ${def.name}:x; sid:9;)`);
      expect([def.name, errors.some((e) => e.kind === 'unknown-option')]).toEqual([def.name, false]);
    }
    for (const name of ['Content', 'conten', 'contents', 'msgs', 'x']) {
      const { errors } = load(`alert tcp any any -> any 80 (msg:"m"; ${name}:"a"; sid:9;)`);
      expect(errors.map((e) => e.reason)).toEqual([`unknown option ${JSON.stringify(name)}`]);
    }
  });
});
