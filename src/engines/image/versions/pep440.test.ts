import { describe, expect, it } from 'vitest';
import { comparePep440, parsePep440, satisfiesPep440 } from './pep440.js';

describe('comparePep440', () => {
  it('orders the example sequence from PEP 440', () => {
    const ordered = [
      '1.dev0', '1.0.dev456', '1.0a1', '1.0a2.dev456', '1.0a12.dev456', '1.0a12', '1.0b1.dev456', '1.0b2', '1.0b2.post345.dev456',
      '1.0b2.post345', '1.0rc1.dev456', '1.0rc1', '1.0', '1.0+abc.5', '1.0+abc.7', '1.0+5', '1.0.post456.dev34', '1.0.post456',
      '1.0.15', '1.1.dev1', '1!0.1',
    ];
    for (let i = 0; i < ordered.length; i++) {
      for (let j = 0; j < ordered.length; j++) expect([ordered[i], ordered[j], comparePep440(ordered[i]!, ordered[j]!)]).toEqual([ordered[i], ordered[j], Math.sign(i - j)]);
    }
  });

  it('normalises spellings the spec allows', () => {
    expect(comparePep440('1.0-alpha-1', '1.0a1')).toBe(0);
    expect(comparePep440('1.0.0', '1')).toBe(0);
    expect(comparePep440('v1.0', '1.0')).toBe(0);
    expect(comparePep440('1.0-1', '1.0.post1')).toBe(0);
    expect(comparePep440('1.0c1', '1.0rc1')).toBe(0);
    expect(parsePep440('not a version')).toBeUndefined();
  });
});

describe('satisfiesPep440', () => {
  it('matches specifier sets like pip when given compatible-release, wildcard and exclusive operators', () => {
    expect(satisfiesPep440('2.3', '~=2.2')).toBe(true);
    expect(satisfiesPep440('3.0', '~=2.2')).toBe(false);
    expect(satisfiesPep440('1.4.5', '~=1.4.5')).toBe(true);
    expect(satisfiesPep440('1.5.0', '~=1.4.5')).toBe(false);
    expect(satisfiesPep440('1.1.post1', '==1.1.*')).toBe(true);
    expect(satisfiesPep440('1.2', '==1.1.*')).toBe(false);
    expect(satisfiesPep440('1.1.3', '!=1.1.*')).toBe(false);
    expect(satisfiesPep440('1.7.post2', '>1.7')).toBe(false);
    expect(satisfiesPep440('1.7.1', '>1.7')).toBe(true);
    expect(satisfiesPep440('1.7.0rc1', '<1.7')).toBe(false);
    expect(satisfiesPep440('1.7.0rc1', '<1.7', true)).toBe(false);
    expect(satisfiesPep440('1.6', '<1.7')).toBe(true);
    expect(satisfiesPep440('2.31.0', '>=2.0,<2.32')).toBe(true);
    expect(satisfiesPep440('1.0+local.1', '==1.0')).toBe(true);
    expect(satisfiesPep440('2.0rc1', '>=1.0')).toBe(false);
    expect(satisfiesPep440('2.0rc1', '>=2.0rc1')).toBe(true);
    expect(satisfiesPep440('1.0', 'garbage')).toBe(false);
  });
});
