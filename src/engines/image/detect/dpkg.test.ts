import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedMissing, sharedPath } from '../../../../test/support/shared.js';
import { dpkg } from './dpkg.js';

const missing = sharedMissing('images', 'fixtures', 'bookworm.final.dpkg-status');
const bookworm = { distribution: { id: 'debian', versionId: '12', codename: 'bookworm', layer: '' } };

describe('dpkg detector', () => {
  it.skipIf(missing)('lists every installed package of the real bookworm status files', () => {
    const read = (f: string) => readFileSync(sharedPath('images', 'fixtures', f));
    const final = dpkg.detect('var/lib/dpkg/status', read('bookworm.final.dpkg-status'), bookworm);
    const layer1 = dpkg.detect('var/lib/dpkg/status', read('bookworm.layer1.dpkg-status'), bookworm);
    const layer2 = dpkg.detect('var/lib/dpkg/status', read('bookworm.layer2.dpkg-status'), bookworm);
    expect(final.problems).toEqual([]);
    expect(final.packages).toHaveLength(107);
    expect(layer1.packages).toHaveLength(88);
    expect(layer2.packages).toHaveLength(108);
    expect(final.packages.find((p) => p.name === 'less')).toBeUndefined();
    expect(layer2.packages.find((p) => p.name === 'less')?.version).toMatch(/^590-/);
    const libssl = final.packages.find((p) => p.name === 'libssl3')!;
    expect(libssl).toMatchObject({ sourceName: 'openssl', arch: 'amd64' });
    expect(libssl.purl).toBe(`pkg:deb/debian/libssl3@${libssl.version}?arch=amd64&distro=debian-12`);
    const bsdutils = final.packages.find((p) => p.name === 'bsdutils')!;
    expect(bsdutils.version).toMatch(/^1:/);
    expect(bsdutils.purl).toBe(`pkg:deb/debian/bsdutils@${bsdutils.version.slice(2)}?arch=amd64&distro=debian-12&epoch=1`);
    // Source with an explicit version in parentheses (binNMU or differing source version)
    const withVersion = readFileSync(sharedPath('images', 'fixtures', 'bookworm.final.dpkg-status'), 'utf8').match(/^Source: \S+ \((.+)\)$/m);
    if (withVersion) expect(final.packages.some((p) => p.sourceVersion === withVersion[1])).toBe(true);
  });

  it('keeps only installed stanzas and reads Source with its version', () => {
    const text = [
      'Package: a\nStatus: install ok installed\nVersion: 1:2.0-1\nArchitecture: amd64\nSource: a-src (1:2.0-0.1)\n',
      'Package: b\nStatus: deinstall ok config-files\nVersion: 1.0\n',
      'Package: c\nStatus: install ok half-installed\nVersion: 1.0\n',
      'Package: d\nStatus: hold ok installed\nVersion: 3\nDescription: multi\n line\n',
      'Status: install ok installed\nVersion: 9\n',
    ].join('\n');
    const r = dpkg.detect('var/lib/dpkg/status', Buffer.from(text), {});
    expect(r.packages.map((p) => [p.name, p.version, p.sourceName, p.sourceVersion])).toEqual([
      ['a', '1:2.0-1', 'a-src', '1:2.0-0.1'],
      ['d', '3', 'd', '3'],
    ]);
    expect(r.problems).toEqual(['var/lib/dpkg/status:21: stanza without Package or Version; skipped']);
  });

  it('reads distroless status.d files, which have no Status field, and ignores md5sums', () => {
    expect(dpkg.accepts('var/lib/dpkg/status.d/libc6')).toBe(true);
    expect(dpkg.accepts('var/lib/dpkg/status.d/libc6.md5sums')).toBe(false);
    const r = dpkg.detect('var/lib/dpkg/status.d/base', Buffer.from('Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\n'), bookworm);
    expect(r.packages.map((p) => p.name)).toEqual(['base-files']);
  });
});
