import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedMissing, sharedPath } from '../../../../../test/support/shared.js';
import type { RuleSyntax } from '../types.js';
import { fileSyntax } from './file-syntax.js';

/** The definition fileSyntax implements: five multi-line regular expressions over the whole text. */
function fileSyntaxByRegex(text: string): RuleSyntax {
  if (/^[ \t]*(?:alert|log|pass|drop|sdrop|reject|block|rewrite)[ \t]+(?:[a-z0-9-]+[ \t]*)?\(/m.test(text)) return 'snort3';
  if (/^[ \t]*(?:alert|log|pass|drop|sdrop|reject|block|rewrite)[ \t][^\n]*content:[ \t]*!?"(?:[^"\\\n]|\\.)*"[ \t]*,/m.test(text)) return 'snort3';
  if (/^[ \t]*(?:alert|log|pass|drop|sdrop|reject|block|rewrite)[ \t][^\n]*[(;][ \t]*service[ \t]*:/m.test(text)) return 'snort3';
  if (/[(;][ \t]*(?:http\.|dns\.query|tls\.|file\.data|bsize|endswith|startswith|dotprefix)/.test(text)) return 'suricata';
  if (/^[ \t]*\w+[ \t]+(?:http|dns|tls)[ \t]/m.test(text)) return 'suricata';
  return 'snort2';
}

const syntaxOf = (text: string) => fileSyntax(text);

describe('fileSyntax', () => {
  it('tells Snort 3, Suricata and Snort 2 files apart', () => {
    expect(syntaxOf('# x\nalert http (msg:"x"; sid:1;)')).toBe('snort3');
    expect(syntaxOf('alert tcp any any -> any 80 (content:"a", nocase; sid:1;)')).toBe('snort3');
    expect(syntaxOf('alert tcp any any -> any 80 (service: http; sid:1;)')).toBe('snort3');
    expect(syntaxOf('alert tcp any any -> any 80 (http.uri; content:"a"; sid:1;)')).toBe('suricata');
    expect(syntaxOf('alert dns any any -> any any (sid:1;)')).toBe('suricata');
    expect(syntaxOf('alert tcp any any -> any 80 (content:"a"; nocase; sid:1;)')).toBe('snort2');
  });

  it('gives the answer of the regular-expression definition on edge cases', () => {
    const cases = [
      'x\ralert http (sid:1;)',
      'x\u2028alert http (',
      'foo\r\n  alert tcp any any -> any any (content:"x",\\\n depth 2;)',
      'alert tcp a\r b -> ( content:"a" , x)',
      'alert tcp a b -> c d (content:"a\\"b",x)',
      'alert tcp a b -> c d (content:"a\\\rb",x)',
      'alert tcp a b -> c d (content: !"ab"\t,x)',
      '#alert tcp any any -> any any (sid:1; http.uri;)',
      'alert tcp x http y',
      'alert\ttcp (service:http;)',
      'log x ( ;service :',
      'sdrop x (',
      'drops x (',
      'alert tcp any any -> any any (msg:"service: x"; sid:1;)',
      'alert tcp any any -> any any (msg:"a (http. b"; sid:1;)',
      'xalert tcp (',
      '  \talert  \t-proto- \t(',
      'alert tcp any any -> any any (content:"x"\r, y)',
    ];
    for (const c of cases) expect([c, syntaxOf(c)]).toEqual([c, fileSyntaxByRegex(c)]);
  });

  it('gives the answer of the regular-expression definition on random texts', () => {
    const pieces = ['alert', 'log', 'sdrop', ' ', '\t', '\n', '\r', '\u2028', '(', ';', ',', ':', '"', '\\', '!', 'content:', 'service', 'http', 'http.', 'dns', 'tls', 'bsize', 'x', '-', 'tcp', '#'];
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const starts = ['', '\n', '\r', ' ', '\n\t', '#'];
    const actions = ['alert ', 'drop\t', 'pass  ', 'log '];
    const seen = new Set<RuleSyntax>();
    for (let t = 0; t < 5000; t++) {
      let s = '';
      const lines = 1 + rand(3);
      for (let l = 0; l < lines; l++) {
        s += starts[rand(starts.length)]!;
        if (rand(2) === 0) s += actions[rand(actions.length)]!;
        const len = 1 + rand(10);
        for (let i = 0; i < len; i++) s += pieces[rand(pieces.length)];
      }
      const expected = fileSyntaxByRegex(s);
      seen.add(expected);
      expect([s, syntaxOf(s)]).toEqual([s, expected]);
    }
    expect(seen.size).toBe(3);
  });

  const missing = sharedMissing('ids', 'rules');
  it.skipIf(missing)('gives the answer of the regular-expression definition on every shared rule file', () => {
    const files: string[] = [];
    for (const dir of readdirSync(sharedPath('ids', 'rules'))) {
      const full = sharedPath('ids', 'rules', dir);
      try {
        for (const f of readdirSync(full)) if (f.endsWith('.rules')) files.push(join(full, f));
      } catch {
        // not a directory
      }
    }
    expect(files.length).toBeGreaterThan(100);
    const kinds = new Set<RuleSyntax>();
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const expected = fileSyntaxByRegex(text);
      kinds.add(expected);
      expect([f, syntaxOf(text)]).toEqual([f, expected]);
    }
    expect([...kinds].sort()).toEqual(['snort2', 'snort3', 'suricata']);
  });
});
