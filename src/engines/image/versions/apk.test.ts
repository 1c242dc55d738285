import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedMissing, sharedPath } from '../../../../test/support/shared.js';
import { compareApk, isValidApkVersion } from './apk.js';

describe('compareApk', () => {
  it('orders pre-release suffixes before and post-release suffixes after the plain version', () => {
    const ordered = ['1.1_alpha', '1.1_alpha2', '1.1_beta', '1.1_pre1', '1.1_rc1', '1.1_rc2', '1.1', '1.1-r1', '1.1-r10', '1.1_cvs', '1.1_svn', '1.1_git20200101', '1.1_hg', '1.1_p1', '1.1_p2', '1.1a', '1.1b', '1.1.1'];
    for (let i = 0; i < ordered.length; i++) {
      for (let j = 0; j < ordered.length; j++) {
        expect([ordered[i], ordered[j], compareApk(ordered[i]!, ordered[j]!)]).toEqual([ordered[i], ordered[j], Math.sign(i - j)]);
      }
    }
  });

  it('keeps apk-tools quirk for a suffix after a zero component', () => {
    // apk-tools reads ".0" as a leading-zero token and then sees an empty digit token before "_",
    // so "1.0_alpha" sorts after "1.0" in apk itself; we follow apk, not the Gentoo ideal.
    expect(compareApk('1.0_alpha', '1.0')).toBe(1);
    expect(compareApk('1.0_alpha', '1.0_beta')).toBe(-1);
  });

  it('treats leading zeros after a dot as smaller, like apk-tools', () => {
    expect(compareApk('1.01', '1.1')).toBe(-1);
    expect(compareApk('1.001', '1.01')).toBe(-1);
    expect(compareApk('1.2.3-r0', '1.2.3')).toBe(1);
    expect(compareApk('2.4.55-r0', '2.4.54-r1')).toBe(1);
    expect(compareApk('1.1.1k-r0', '1.1.1l-r0')).toBe(-1);
    expect(compareApk('1.35.0-r17', '1.35.0-r2')).toBe(1);
  });

  it('validates versions as apk-tools does', () => {
    expect(isValidApkVersion('1.2.3_rc1_p2-r0')).toBe(true);
    expect(isValidApkVersion('3.3.3p1-r3')).toBe(true);
    expect(isValidApkVersion('1.0_foo')).toBe(false);
    expect(isValidApkVersion('1.0-x1')).toBe(false);
    expect(isValidApkVersion('')).toBe(false);
  });

  const missing = sharedMissing('vulndata', 'alpine', 'secdb-20250104');
  it.skipIf(missing)('gives a total order on every fixed version in the real Alpine secdb', () => {
    const root = sharedPath('vulndata', 'alpine', 'secdb-20250104');
    const versions = new Set<string>();
    for (const rel of readdirSync(root)) {
      for (const f of readdirSync(join(root, rel))) {
        const doc = JSON.parse(readFileSync(join(root, rel, f), 'utf8')) as { packages: { pkg: { secfixes?: Record<string, unknown> } }[] };
        for (const p of doc.packages) for (const v of Object.keys(p.pkg.secfixes ?? {})) versions.add(v);
      }
    }
    const list = [...versions].filter(isValidApkVersion);
    expect(list.length).toBeGreaterThan(1500);
    const sorted = [...list].sort(compareApk);
    // a total order: sorted neighbours never compare greater, and comparisons are antisymmetric
    for (let i = 0; i + 1 < sorted.length; i++) {
      expect(compareApk(sorted[i]!, sorted[i + 1]!)).toBeLessThanOrEqual(0);
      expect(compareApk(sorted[i + 1]!, sorted[i]!)).toBeGreaterThanOrEqual(0);
    }
    // -rN revisions of one upstream version sort numerically
    expect(compareApk('1.1.1t-r2', '1.1.1t-r10')).toBe(-1);
  });
});
