import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sharedMissing, sharedPath } from '../../../../test/support/shared.js';
import { compareDpkg, parseDpkgVersion } from './dpkg.js';

const hasDpkg = spawnSync('dpkg', ['--version']).status === 0;
const missing = sharedMissing('vulndata', 'debian') ?? sharedMissing('images', 'fixtures');

/** A small deterministic PRNG so that the generated pairs are the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Asks the real dpkg about every pair in one shell process (a loop), returning -1/0/1 per pair. */
function dpkgVerdicts(pairs: readonly (readonly [string, string])[]): number[] {
  const script =
    'while IFS=" " read -r a b; do if dpkg --compare-versions "$a" lt "$b" 2>/dev/null; then echo -1; ' +
    'elif dpkg --compare-versions "$a" eq "$b" 2>/dev/null; then echo 0; else echo 1; fi; done';
  const out = execFileSync('sh', ['-c', script], { input: pairs.map(([a, b]) => `${a} ${b}`).join('\n') + '\n', maxBuffer: 1 << 26 });
  return out.toString().trim().split('\n').map(Number);
}

async function realVersions(): Promise<string[]> {
  const set = new Set<string>();
  for (const f of ['bookworm.final.dpkg-status', 'bookworm.layer1.dpkg-status', 'bookworm.layer2.dpkg-status']) {
    for (const m of readFileSync(sharedPath('images', 'fixtures', f), 'utf8').matchAll(/^Version: (.+)$/gm)) set.add(m[1]!.trim());
  }
  const rl = createInterface({ input: createReadStream(sharedPath('vulndata', 'debian', 'osv-debian12-20250212.jsonl.gz')).pipe(createGunzip()) });
  for await (const line of rl) {
    for (const m of line.matchAll(/"(?:fixed|introduced|last_affected)":"([^"]+)"/g)) if (m[1] !== '0') set.add(m[1]!);
  }
  return [...set].filter((v) => parseDpkgVersion(v) !== undefined).sort();
}

describe('compareDpkg', () => {
  it('orders tilde, epochs, revisions and digits like dpkg', () => {
    expect(compareDpkg('1.0~rc1', '1.0')).toBe(-1);
    expect(compareDpkg('1.0~~', '1.0~')).toBe(-1);
    expect(compareDpkg('1:0.1', '2.0')).toBe(1);
    expect(compareDpkg('1.0-1', '1.0-1')).toBe(0);
    expect(compareDpkg('1.0', '1.0-0')).toBe(0);
    expect(compareDpkg('7.88.1-10+deb12u5', '7.88.1-10+deb12u4')).toBe(1);
    expect(compareDpkg('1.2a', '1.2+')).toBe(-1);
    expect(compareDpkg('001', '1')).toBe(0);
  });

  it('rejects versions dpkg refuses when parsing', () => {
    expect(parseDpkgVersion('a:1.0')).toBeUndefined();
    expect(parseDpkgVersion('')).toBeUndefined();
    expect(parseDpkgVersion('1.0-')).toBeUndefined();
    expect(parseDpkgVersion('1 0')).toBeUndefined();
  });

  describe.skipIf(!hasDpkg || missing)('against dpkg --compare-versions', () => {
    if (!hasDpkg) console.warn('skipped: dpkg is not installed');
    if (missing) console.warn(missing);

    it('agrees with dpkg on thousands of real and generated pairs', async () => {
      const versions = await realVersions();
      expect(versions.length).toBeGreaterThan(5000);
      const rand = rng(42);
      const pairs: [string, string][] = [];
      // neighbours in sorted order share prefixes and so exercise the subtle cases
      for (let i = 0; i + 1 < versions.length && pairs.length < 1500; i += Math.max(1, Math.floor(versions.length / 1500))) {
        pairs.push([versions[i]!, versions[i + 1]!]);
      }
      for (let i = 0; i < 1000; i++) pairs.push([versions[Math.floor(rand() * versions.length)]!, versions[Math.floor(rand() * versions.length)]!]);
      const alphabet = '0123456789abz.+~';
      const gen = (): string => {
        let s = String(Math.floor(rand() * 3));
        const n = 1 + Math.floor(rand() * 6);
        for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
        if (rand() < 0.3) s = `${Math.floor(rand() * 3)}:${s}`;
        if (rand() < 0.5) s += `-${Math.floor(rand() * 3)}${rand() < 0.5 ? '~' : '+'}${Math.floor(rand() * 2)}`;
        return s;
      };
      for (let i = 0; i < 1000; i++) {
        const a = gen();
        pairs.push([a, rand() < 0.3 ? a.replace(/\d$/, '0') : gen()]);
      }
      const valid = pairs.filter(([a, b]) => parseDpkgVersion(a) && parseDpkgVersion(b));
      const want = dpkgVerdicts(valid);
      const mismatches = valid.filter(([a, b], i) => compareDpkg(a, b) !== want[i]).map(([a, b]) => `${a} vs ${b}`);
      expect(mismatches).toEqual([]);
      expect(valid.length).toBeGreaterThan(3000);
    });
  });
});
