/**
 * `pcre` on the backtracking matcher (patterns RE2 cannot run), through rule loading and matchRule.
 */
import { describe, expect, it } from 'vitest';
import { makePacket } from '../../../../../test/ids/packet.js';
import type { Packet } from '../../types.js';
import { createEvalState, matchRule } from '../eval.js';
import { loadRules } from '../parser/load.js';
import type { Rule } from '../types.js';
import { snortDefaultVariables } from '../variables.js';
import { parsePcre, toJsSource } from './pcre.js';

function rule(opts: string): Rule {
  const text = `alert tcp any any -> any any (msg:"t"; ${opts} sid:1000001; rev:1;)`;
  const r = loadRules([{ text, name: 'case.rules' }], snortDefaultVariables());
  if (r.errors.length) throw new Error(`${opts}: ${r.errors.map((e) => e.reason).join('; ')}`);
  return r.rules[0]!;
}

const state = createEvalState();

function hit(r: Rule, payload: string): boolean {
  const pkt = makePacket({ payload }) as unknown as Packet;
  return matchRule(r, pkt, { get: (name) => (name === 'pkt_data' ? pkt.payload : undefined) }, state);
}

describe('pcre on the backtracking matcher', () => {
  it('searches the whole buffer when the match lies far from the cursor', () => {
    // The shape of ET 2022290: look-behinds after lazy scans, relative to a content.
    const r = rule('content:"var "; pcre:"/^\\s*?[a-z]+\\s*?=.*?(?<=[\\x3d\\x2b])\\x28\\d+[<>]\\d+\\?/Rs";');
    const cfg = parsePcre('"/^\\s*?[a-z]+\\s*?=.*?(?<=[\\x3d\\x2b])\\x28\\d+[<>]\\d+\\?/Rs"');
    expect(cfg.ok && cfg.value.engine).toBe('backtrack');
    expect(hit(r, 'var x = ' + 'y'.repeat(20_000) + '+(3<5?')).toBe(true);
    expect(hit(r, 'var x = ' + 'y'.repeat(20_000) + '-(3<5?')).toBe(false);
  });

  it('loads a pattern that may backtrack exponentially, and counts a search it gives up as no match', () => {
    const r = rule('pcre:"/^(?=a)(a+)+$/";');
    const before = state.truncated;
    expect(hit(r, 'a'.repeat(2000) + 'b')).toBe(false);
    expect(state.truncated).toBe(before + 1);
    expect(hit(r, 'aaaa')).toBe(true);
    expect(state.truncated).toBe(before + 1);
  });

  it('lets a negated pcre match when its search gives up, as Snort does past pcre_match_limit', () => {
    const r = rule('content:"a"; pcre:!"/^(?=a)(a+)+$/";');
    expect(hit(r, 'a'.repeat(2000) + 'b')).toBe(true);
    expect(hit(r, 'aaaa')).toBe(false);
  });

  it('retries a look-around pcre at its next match when a later option fails', () => {
    const r = rule('pcre:"/a(?=b)/"; content:"c"; within:2;');
    expect(hit(r, 'ab-abc')).toBe(true);
    expect(hit(r, 'ab-ab-')).toBe(false);
  });
});

describe('toJsSource', () => {
  it('returns a pattern with nothing to rewrite unchanged, and rewrites each PCRE-only form when one is present', () => {
    for (const p of ['^GET\\s+/[a-z0-9_]{4,}\\.php\\?id=\\d+', '\\x2f(?:foo|bar)+[^\\r\\n]*\\x0d', '']) expect(toJsSource(p)).toBe(p);
    expect(toJsSource('\\Aab\\z')).toBe('(?<![\\s\\S])ab(?![\\s\\S])');
    expect(toJsSource('[]a]x')).toBe('[\\]a]x');
    expect(toJsSource('a++b')).toBe('a+b');
    expect(toJsSource('(?P<n>x)(?P=n)')).toBe('(?<n>x)\\k<n>');
    expect(toJsSource('(?>ab)')).toBe('(?:ab)');
  });

  it('gives RE2 the same pattern whether or not it needed translating (\\h, \\Z, octal, short \\x)', () => {
    const rule = (pattern: string) => parsePcre(`"/${pattern}/"`);
    for (const [pcre, same] of [
      ['a\\hb', 'a[ \\t]b'],
      ['ab\\Z', 'ab(?:\\n?\\z)'],
      ['\\101B', '\\x41B'],
      ['\\x4G', '\\x04G'],
    ] as const) {
      const a = rule(pcre);
      const b = rule(same);
      expect(a.ok && b.ok).toBe(true);
      if (a.ok && b.ok) for (const s of ['a b', 'a\tb', 'ab\n', 'AB', 'x\x04G']) expect([s, a.value.re.search(s, 0) >= 0]).toEqual([s, b.value.re.search(s, 0) >= 0]);
    }
  });
});
