/**
 * The backtracking matcher against JavaScript's RegExp (its reference semantics) on generated patterns and
 * inputs, and its limits on patterns that backtrack without end.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedMissing, sharedPath } from '../../../../../test/support/shared.js';
import { parsePcre } from './pcre.js';
import { compileBacktrack, foldEquivalents, LIMIT_EXCEEDED, PCRE_DEPTH_LIMIT, PCRE_MATCH_LIMIT, PatternError } from './pcre-backtrack.js';

/** Deterministic pseudo-random numbers (the same cases on every run). */
function random(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x % n;
  };
}

/** What RegExp finds from `from`: [start, end], or [-1, -1]. */
function reference(src: string, flags: string, s: string, from: number): [number, number] {
  const re = new RegExp(src, flags + 'g');
  re.lastIndex = from;
  const r = re.exec(s);
  return r ? [r.index, r.index + r[0].length] : [-1, -1];
}

function ours(src: string, flags: string, s: string, from: number): [number, number] {
  const m = compileBacktrack(src, flags);
  const at = m.search(s, from);
  expect(at).not.toBe(LIMIT_EXCEEDED);
  return at >= 0 ? [at, m.end] : [-1, -1];
}

describe('compileBacktrack', () => {
  it('finds what RegExp finds on hand-picked patterns', () => {
    const cases: [string, string, string][] = [
      ['(?<=\\d)px', '', 'width: 12px'],
      ['a(?!b)', '', 'abac'],
      ['(\\w)\\1', 'i', 'abcCd'],
      ['^(?:(?!x).)*?y', 's', 'abcy'],
      ['(?<q>["\'])x\\k<q>', '', 'a"x\'b\'x\''],
      ['[^\\W\\d]+', 'i', '12ab\u00c93'],
      ['\u00e9+', 'i', 'x\u00c9\u00e9'],
      ['(a|ab)(c|bcd)(d*)', '', 'abcd'],
      ['(?:a|b)*?c', '', 'ababc'],
      ['(?<=a(b)?)c', '', 'abc ac'],
      ['(a)|\\1b', '', 'b'],
      ['x{2,3}?y', '', 'xxxxy'],
      ['\\bfoo\\B', 'm', 'a foobar'],
      ['^b$', 'm', 'a\nb\nc'],
      ['(?<!\\r)\\n\\s*$', '', 'a\r\nb\n  '],
      ['(a*)*b', '', 'aaab'],
      ['(?:(a)|b)+\\1', '', 'abba'],
      ['[\\d-z]+', '', 'x-9z'],
      ['\\x41\\101\\cJ[\\b]', '', 'AA\n\b'],
      ['a{,2}', '', 'a{,2}'],
      ['[^]x[]?', '', '\nx'],
      ['(?<=(\\d+)(\\d+))$', '', '1053'],
    ];
    for (const [src, flags, s] of cases) expect([src, ours(src, flags, s, 0)]).toEqual([src, reference(src, flags, s, 0)]);
  });

  it('finds what RegExp finds on 3,000 generated patterns and inputs', () => {
    const rand = random(7);
    const atoms = ['a', 'b', '.', '[ab]', '[^a]', '\\w', '\\s', '\\d', 'A', '\u00e9', '\\n', '\\b', '^', '$'];
    const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)]!;
    const quant = () => pick(['', '', '', '*', '+', '?', '*?', '+?', '{1,2}', '{2}', '??', '{0,3}?']);
    let groups = 0;
    const term = (depth: number): string => {
      const k = rand(10);
      if (depth < 2 && k === 0) {
        groups++;
        return `(${seq(depth + 1)}|${seq(depth + 1)})` + quant();
      }
      if (depth < 2 && k === 1) return `(?:${seq(depth + 1)})` + quant();
      if (depth < 2 && k === 2) return `(?${pick(['=', '!', '<=', '<!'])}${seq(depth + 1)})`;
      if (k === 3 && groups > 0) return `\\${1 + rand(groups)}`;
      const a = pick(atoms);
      return a === '^' || a === '$' || a === '\\b' ? a : a + quant();
    };
    const seq = (depth: number): string => {
      let out = '';
      for (let n = 1 + rand(3); n > 0; n--) out += term(depth);
      return out;
    };
    const letters = 'aab b\nA\u00e9\u00c91_';
    let compared = 0;
    for (let k = 0; k < 3000; k++) {
      groups = 0;
      const src = seq(0);
      const flags = pick(['', 'i', 's', 'm', 'is', 'im']);
      try {
        new RegExp(src, flags);
      } catch {
        // Not a JavaScript pattern: the matcher must refuse it too.
        expect(() => compileBacktrack(src, flags), src).toThrow(PatternError);
        continue;
      }
      let s = '';
      for (let n = rand(12); n > 0; n--) s += letters[rand(letters.length)];
      const from = rand(s.length + 1);
      expect([src, flags, s, from, ours(src, flags, s, from)]).toEqual([src, flags, s, from, reference(src, flags, s, from)]);
      // One matcher, two subjects: nothing it remembers from one search may leak into the next.
      const m = compileBacktrack(src, flags);
      const t = s.split('').reverse().join('') + s;
      for (const subject of [s, t]) {
        const at = m.search(subject, 0);
        expect([src, flags, subject, at === -1 ? [-1, -1] : [at, m.end]]).toEqual([src, flags, subject, reference(src, flags, subject, 0)]);
      }
      compared++;
    }
    expect(compared).toBeGreaterThan(2500);
  });

  it('searches a whole long buffer for a look-behind pattern', () => {
    const s = 'x'.repeat(50_000) + 'var a=(3<5?"a":"b");';
    expect(ours('(?<=[=+])\\(\\d+[<>]\\d+\\?', '', s, 0)).toEqual([50_006, 50_011]);
  });

  it('gives up past the step limit on patterns that backtrack exponentially, with the same answer every time', () => {
    for (const [src, s] of [
      ['(a+)+$', 'a'.repeat(5000) + 'b'],
      ['(a|aa)*c', 'a'.repeat(60) + 'bc'],
      ['(?=a)(.*)*x$', 'x' + 'a'.repeat(3000)],
      ['^(\\w+\\s?)*!(?<=a)', 'ab '.repeat(20) + '!'],
    ] as const) {
      const m = compileBacktrack(src, 's');
      const answers = [m.search(s, 0), m.search(s, 0)];
      expect([src, answers, m.exceeded]).toEqual([src, [LIMIT_EXCEEDED, LIMIT_EXCEEDED], 'steps']);
      expect(m.steps).toBeLessThanOrEqual(PCRE_MATCH_LIMIT + 8);
    }
  });

  it('gives up at the depth limit, not with a stack overflow, on a long run of group iterations', () => {
    const m = compileBacktrack('(?:a|bc)*d', '');
    expect(m.search('a'.repeat(PCRE_DEPTH_LIMIT * 3) + 'bd', 0)).toBe(LIMIT_EXCEEDED);
    expect(m.exceeded).toBe('depth');
    // Below the limit the same pattern runs to its answer.
    expect(m.search('a'.repeat(PCRE_DEPTH_LIMIT / 2) + 'd', 0)).toBe(0);
  });

  it('stays within its limits on random patterns built from pieces that backtrack badly together', () => {
    const pieces = ['a', 'a*', 'a+', '(?:a|aa)', '(a*)', '[ab]*', '.*', '.*?', '(?=a*)', '(?!b)', '\\1', 'b', '(?:a+)?', 'a{2,}'];
    const rand = random(12345);
    const s = 'a'.repeat(3000) + '!';
    let ran = 0;
    for (let k = 0; k < 300; k++) {
      let src = '(?=a)';
      for (let n = 2 + rand(5); n > 0; n--) src += pieces[rand(pieces.length)]!;
      if (rand(2) === 0) src = `(?:${src})${rand(2) ? '*' : '{3}'}`;
      src += 'c';
      let m;
      try {
        m = compileBacktrack(src, 's');
      } catch {
        continue; // e.g. a \1 before any group
      }
      const at = m.search(s, 0);
      expect(at === -1 || at === LIMIT_EXCEEDED).toBe(true);
      expect(m.steps).toBeLessThanOrEqual(PCRE_MATCH_LIMIT + 8);
      ran++;
    }
    expect(ran).toBeGreaterThan(200);
  });

  it('does linear work on an unanchored look-ahead scan that fails (the pattern of ET 2024048, on a Google URI)', () => {
    const src =
      '(?=.*?[?&]oq=(?=[A-Za-z_-]*[0-9])(?=[a-z0-9_-]*[A-Z][a-z0-9_-]*[A-Z])(?=[A-Z0-9_-]*[a-z][A-Z0-9_-]*[a-z])[A-Za-z0-9_-]+(?:&|$)).*?[?&]q=(?=[A-Za-z_-]*[0-9])(?=[a-z0-9_-]*[A-Z][a-z0-9_-]*[A-Z])(?=[A-Z0-9_-]*[a-z][A-Z0-9_-]*[a-z])[A-Za-z0-9_-]+(?:&|$)';
    const uri = '/complete/search?hl=en&client=hp&xhr=t&q=UK basketball&cp=13&pf=i&aq=f&oq=UK+basketball&gs_rfai=CFlfbfNQ_TKS7MIqINoWGvaoNAAAAqgQFT9AAdiA&fp=57d9c86769d1bf04';
    const m = compileBacktrack(src, '');
    for (const s of [uri, uri + '&x=' + 'a'.repeat(20_000)]) {
      expect(m.search(s, 0)).toBe(-1);
      expect(m.steps).toBeLessThan(40 * s.length);
    }
  });

  it('answers at once, without steps, when the subject lacks a byte every match needs', () => {
    const m = compileBacktrack('(a|aa)*c', '');
    expect(m.search('a'.repeat(5000), 0)).toBe(-1);
    expect(m.steps).toBe(0);
  });

  it('folds case like RegExp with i: the equivalents of each Latin-1 byte equal a scan of every code unit', () => {
    // RegExp itself is the judge of which code units match each byte case-insensitively.
    const scan: number[][] = Array.from({ length: 256 }, () => []);
    const latin1 = String.fromCharCode(...Array(256).keys());
    for (let u = 0; u <= 0xffff; u++) {
      if (u >= 0xd800 && u <= 0xdfff) continue;
      const re = new RegExp(`\\u${u.toString(16).padStart(4, '0')}`, 'gi');
      for (const m of latin1.matchAll(re)) scan[m.index]!.push(u);
    }
    for (let b = 0; b < 256; b++) expect([b, foldEquivalents(b)]).toEqual([b, scan[b]!.sort((x, y) => x - y)]);
  });

  it('refuses what RegExp refuses', () => {
    for (const src of ['(a', 'a)', '[a', '*a', 'a{3,2}', '(?<=a)+', '(?<n>a)(?<n>b)', '\\k<x>(?<y>a)', '(?x)']) {
      expect(() => new RegExp(src)).toThrow();
      expect(() => compileBacktrack(src, ''), src).toThrow(PatternError);
    }
  });
});

const rulesMissing = sharedMissing('ids', 'rules');

describe.skipIf(rulesMissing)('compileBacktrack on the shared rulesets', () => {
  it('compiles every look-around / back-reference pcre of the community and ET rules, and agrees with RegExp on sample subjects', () => {
    const files: string[] = [];
    for (const set of ['snort3-community', 'et-open-snort-2.9.0', 'et-open-suricata-5.0']) {
      const dir = sharedPath('ids', 'rules', set);
      for (const f of readdirSync(dir)) if (f.endsWith('.rules')) files.push(`${dir}/${f}`);
    }
    const seen = new Set<string>();
    let compiled = 0;
    for (const file of files) {
      for (const m of readFileSync(file, 'latin1').matchAll(/pcre:\s*(!?"(?:[^"\\]|\\.)*")/g)) {
        if (seen.has(m[1]!)) continue;
        seen.add(m[1]!);
        const cfg = parsePcre(m[1]!);
        if (!cfg.ok || cfg.value.js === undefined) continue;
        const source = cfg.value.js.source;
        const flags = cfg.value.js.flags.replace('g', '');
        const matcher = compileBacktrack(source, flags);
        // Subjects: the pattern's own text (its literals are there) and a mix of HTTP-like text.
        for (const s of [source, 'GET /index.php?id=1&q=<script>alert(1)</script> HTTP/1.1\r\nHost: a.b\r\n\r\n', '']) {
          const at = matcher.search(s, 0);
          expect([source, at === -1 ? -1 : [at, matcher.end]]).toEqual([source, reference(source, flags, s, 0)[0] === -1 ? -1 : reference(source, flags, s, 0)]);
        }
        compiled++;
      }
    }
    // Distinct option texts across the three rulesets (loading counts options: community 281, ET Snort 2.9 740).
    expect(compiled).toBe(739);
  }, 60_000);
});
