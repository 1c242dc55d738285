import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedMissing, sharedPath } from '../../../../test/support/shared.js';
import { detectors } from './index.js';

/** Real or realistic inputs per detector, mutated by the fuzz loop below. */
function seeds(): Record<string, [string, Buffer][]> {
  const shared = sharedMissing('images', 'fixtures') === undefined;
  const fx = (f: string, fallback: string) => (shared ? readFileSync(sharedPath('images', 'fixtures', f)).subarray(0, 20_000) : Buffer.from(fallback));
  return {
    dpkg: [['var/lib/dpkg/status', fx('bookworm.final.dpkg-status', 'Package: a\nStatus: install ok installed\nVersion: 1\nSource: b (2)\n')]],
    apk: [['lib/apk/db/installed', fx('alpine.final.apk-installed', 'P:a\nV:1-r0\nA:x86_64\no:b\n\n')]],
    npm: [
      ['app/package-lock.json', Buffer.from(JSON.stringify({ lockfileVersion: 3, packages: { '': {}, 'node_modules/a': { version: '1.0.0' } } }))],
      ['node_modules/a/package.json', Buffer.from('{"name":"a","version":"1.0.0"}')],
    ],
    python: [['x.dist-info/METADATA', Buffer.from('Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\n\nbody')]],
    rpm: [['var/lib/rpm/rpmdb.sqlite', Buffer.from('SQLite format 3\0' + 'x'.repeat(2000))]],
  };
}

describe('detector registry', () => {
  it('lists every detector once with a name, a version and wanted paths it accepts', () => {
    expect(detectors.names()).toEqual(['apk', 'dpkg', 'npm', 'python', 'rpm']);
    for (const d of detectors.list()) {
      expect(d.version).toMatch(/^\d+$/);
      expect(d.wants.length).toBeGreaterThan(0);
      for (const w of d.wants) expect(w.maxBytes).toBeGreaterThan(0);
    }
  });

  it('never throws on mutated package databases (fuzz)', () => {
    let seed = 99;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed / 0x7fffffff);
    const all = seeds();
    for (const d of detectors.list()) {
      for (const [path, base] of all[d.name] ?? []) {
        const rounds = d.name === 'rpm' ? 30 : 300;
        for (let n = 0; n < rounds; n++) {
          const b = Buffer.from(base);
          for (let k = 0; k < 1 + Math.floor(rnd() * 10); k++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
          const input = n % 4 === 0 ? b.subarray(0, Math.floor(rnd() * b.length)) : b;
          const r = d.detect(path, input, {});
          expect(Array.isArray(r.packages) && Array.isArray(r.problems)).toBe(true);
          for (const p of r.packages) expect(p.purl.startsWith('pkg:')).toBe(true);
        }
      }
    }
  });
});
