import { describe, expect, it } from 'vitest';
import { dpkg } from '../versions/dpkg.js';
import { semver } from '../versions/semver.js';
import { evaluateRow } from './evaluate.js';

const row = (ranges: object[], versions?: string[], state: 'affected' | 'not_affected' = 'affected') => ({ source: 'osv', namespace: 'Debian:12', state, ranges, ...(versions && { versions }) }) as Parameters<typeof evaluateRow>[2];

describe('evaluateRow', () => {
  it('applies introduced, fixed and last_affected bounds with the scheme order', () => {
    expect(evaluateRow(dpkg, '1.0-1', row([{ fixed: '1.0-2' }]))).toMatchObject({ state: 'fixed', fixedVersion: '1.0-2', comparisons: ['dpkg: 1.0-1 < 1.0-2 (fixed)'] });
    expect(evaluateRow(dpkg, '1.0-2', row([{ fixed: '1.0-2' }])).state).toBe('not_affected');
    expect(evaluateRow(dpkg, '1.0~rc1-1', row([{ introduced: '1.0-1', fixed: '1.1-1' }])).comparisons).toEqual(['dpkg: 1.0~rc1-1 < 1.0-1 (introduced)']);
    expect(evaluateRow(semver, '2.1.0', row([{ introduced: '2.0.0', lastAffected: '2.1.0' }]))).toMatchObject({ state: 'unfixed' });
    expect(evaluateRow(semver, '2.1.1', row([{ introduced: '2.0.0', lastAffected: '2.1.0' }])).state).toBe('not_affected');
  });

  it('uses the second range when the first does not apply (one range per version line)', () => {
    const r = row([{ introduced: '7.0.0', fixed: '7.5.2' }, { introduced: '6.0.0', fixed: '6.3.1' }, { fixed: '5.7.2' }]);
    expect(evaluateRow(semver, '6.3.0', r)).toMatchObject({ state: 'fixed', fixedVersion: '6.3.1' });
    expect(evaluateRow(semver, '6.3.1', r).state).toBe('not_affected');
    expect(evaluateRow(semver, '7.5.1', r).fixedVersion).toBe('7.5.2');
  });

  it('treats an open range as unfixed, a version list as exact matches, and vendor not-affected as final', () => {
    expect(evaluateRow(dpkg, '9.9-1', row([{}]))).toMatchObject({ state: 'unfixed', reason: 'no fixed version is known yet' });
    expect(evaluateRow(dpkg, '1.2-3', row([], ['1.2-3', '1.2-4'])).state).toBe('unfixed');
    expect(evaluateRow(dpkg, '1.2-5', row([], ['1.2-3', '1.2-4'])).state).toBe('not_affected');
    expect(evaluateRow(dpkg, '1.0-1', row([], undefined, 'not_affected'))).toMatchObject({ state: 'not_affected', reason: 'osv states the package is not affected in Debian:12' });
  });
});
