/** Conformance suite over the whole option registry (STYLE.md §6): help, params, garbage-proof parse. */
import { describe, expect, it } from 'vitest';
import { optionRegistry } from './index.js';
import type { ParseContext } from './types.js';

const GARBAGE: (string | undefined)[] = [
  undefined,
  '',
  ' ',
  '"',
  '""',
  '!',
  ',,,',
  '\\',
  '|zz|',
  '"unterminated',
  '-1',
  '99999999999999999999',
  'NaN',
  '<>',
  '1<>',
  'relative,relative',
  '"/(/"',
  '\u0000\u00ff',
  'a'.repeat(5000),
  '$X',
  'type , track , count , seconds',
  '4,=,x,0',
  'bytes -1, offset x',
];

describe('rule option registry', () => {
  it('lists options in sorted order with unique names', () => {
    const names = optionRegistry.names();
    expect([...names].sort()).toEqual(names);
    expect(new Set(names).size).toBe(names.length);
  });

  for (const o of optionRegistry.list()) {
    it(`${o.name} has help and params and never throws on garbage arguments`, () => {
      expect(o.help.length).toBeGreaterThan(10);
      expect(Array.isArray(o.params)).toBe(true);
      for (const p of o.params) expect(p.help.length).toBeGreaterThan(0);
      if (o.kind === 'match') expect(typeof o.eval).toBe('function');
      else expect(typeof o.apply).toBe('function');
      for (const g of GARBAGE) {
        const ctx: ParseContext = { syntax: 'snort2', byteVars: new Map() };
        let r: ReturnType<typeof o.parse> | undefined;
        expect(() => {
          r = o.parse(g, ctx);
        }).not.toThrow();
        expect(typeof r!.ok).toBe('boolean');
        if (r!.ok) expect(typeof o.key(r!.value)).toBe('string');
        else expect(r!.error.length).toBeGreaterThan(0);
      }
    });
  }
});
