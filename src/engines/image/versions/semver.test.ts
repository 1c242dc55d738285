import { describe, expect, it } from 'vitest';
import { compareSemver, satisfiesSemver } from './semver.js';
import { versionSchemes } from './index.js';

describe('semver', () => {
  it('orders npm versions and evaluates npm ranges', () => {
    expect(compareSemver('1.2.3', '1.10.0')).toBe(-1);
    expect(compareSemver('1.0.0-rc.1', '1.0.0')).toBe(-1);
    expect(satisfiesSemver('4.17.20', '<4.17.21')).toBe(true);
    expect(satisfiesSemver('1.2.6', '>=1.0.0 <1.2.6 || >=2')).toBe(false);
    expect(satisfiesSemver('2.0.0-beta', '>=1')).toBe(false);
  });
});

describe('version scheme registry', () => {
  it('never throws and stays antisymmetric when given garbage in every scheme', () => {
    const junk = ['', '~', '-', ':', '1:', '0x1', '1..2', '∞', 'a'.repeat(300), '9'.repeat(400), '1.0-r', '_p', '^', '1!', '+'];
    for (const scheme of versionSchemes.list()) {
      expect(scheme.help.length).toBeGreaterThan(10);
      for (const a of junk) {
        for (const b of junk) {
          const x = scheme.compare(a, b);
          const y = scheme.compare(b, a);
          expect(Number.isFinite(x)).toBe(true);
          expect(Math.sign(x)).toBe(-Math.sign(y) || 0);
        }
        expect(typeof scheme.isValid(a)).toBe('boolean');
      }
    }
  });
});
