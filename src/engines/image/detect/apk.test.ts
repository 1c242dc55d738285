import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedMissing, sharedPath } from '../../../../test/support/shared.js';
import { apk } from './apk.js';

const missing = sharedMissing('images', 'fixtures', 'alpine.final.apk-installed');

describe('apk detector', () => {
  it.skipIf(missing)('lists the 26 packages of the real Alpine 3.14 database with their origin', () => {
    const r = apk.detect('lib/apk/db/installed', readFileSync(sharedPath('images', 'fixtures', 'alpine.final.apk-installed')), {
      distribution: { id: 'alpine', versionId: '3.14.0', layer: '' },
    });
    expect(r.problems).toEqual([]);
    expect(r.packages).toHaveLength(26);
    const ssl = r.packages.find((p) => p.name === 'libssl1.1')!;
    expect(ssl.sourceName).toBe('openssl');
    expect(ssl.purl).toBe(`pkg:apk/alpine/libssl1.1@${ssl.version}?arch=${ssl.arch}&distro=alpine-3.14.0`);
  });

  it('skips a record without P or V and says where', () => {
    const r = apk.detect('lib/apk/db/installed', Buffer.from('P:a\nV:1.0-r0\no:a-src\n\nP:b\nA:x86_64\n\ngarbage\n'), {});
    expect(r.packages.map((p) => [p.name, p.version, p.sourceName])).toEqual([['a', '1.0-r0', 'a-src']]);
    expect(r.problems).toEqual(['lib/apk/db/installed:5: record without P: or V:; skipped', 'lib/apk/db/installed:8: not a KEY:value line; ignored']);
  });
});
