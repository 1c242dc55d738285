import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chromeExtensionId } from '../common/chromium.js';
import { collectRows, createTestContext } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { contentScriptRowsFor, chromeExtensionContentScripts } from './chrome_extension_content_scripts.js';
import { chromeExtensionRows, chromeExtensions, chromeTimeToUnix } from './chrome_extensions.js';

const home = mkdtempSync(join(tmpdir(), 'vigil-home-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const user = { name: 'tester', uid: 4242, gid: 4242, home };

// A real Chrome profile layout: Default/Preferences, Secure Preferences, Extensions/<id>/<version>/.
const publicKey = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'der' });
const key = publicKey.toString('base64');
const id = chromeExtensionId(publicKey);
const profile = join(home, '.config', 'google-chrome', 'Default');
const extDir = join(profile, 'Extensions', id, '1.2.3_0');
const manifest = JSON.stringify({
  manifest_version: 3,
  name: '__MSG_appName__',
  description: 'Blocks things',
  version: '1.2.3',
  default_locale: 'en',
  key,
  author: 'Jane Doe',
  update_url: 'https://clients2.google.com/service/update2/crx',
  permissions: ['storage', 'tabs'],
  optional_permissions: ['downloads'],
  background: { service_worker: 'bg.js' },
  content_scripts: [{ matches: ['https://*/*', 'http://*/*'], js: ['a.js', 'b.js'] }],
});
mkdirSync(join(extDir, '_locales', 'en'), { recursive: true });
writeFileSync(join(extDir, 'manifest.json'), manifest);
writeFileSync(join(extDir, '_locales', 'en', 'messages.json'), JSON.stringify({ appName: { message: 'Thing Blocker' } }));
writeFileSync(join(profile, 'Preferences'), JSON.stringify({ profile: { name: 'Person 1' }, extensions: { settings: {} } }));
writeFileSync(
  join(profile, 'Secure Preferences'),
  JSON.stringify({ extensions: { settings: { [id]: { path: `${id}/1.2.3_0`, state: 1, from_webstore: true, first_install_time: '13303404000000000' } } } }),
);

describe('chrome_extensions', () => {
  it('reads an extension from a real-format profile under a temp HOME', () => {
    const ctx = createTestContext();
    const rows = [...chromeExtensionRows([user], ctx)];
    expect(ctx.warnings).toEqual([]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      browser_type: 'chrome',
      uid: 4242,
      name: 'Thing Blocker',
      profile: 'Person 1',
      profile_path: profile,
      identifier: id,
      referenced_identifier: id,
      version: '1.2.3',
      default_locale: 'en',
      author: 'Jane Doe',
      permissions: 'storage, tabs',
      optional_permissions: 'downloads',
      persistent: 0,
      path: extDir,
      referenced: 1,
      from_webstore: 'true',
      state: '1',
      install_time: '13303404000000000',
      install_timestamp: 1658930400,
      manifest_hash: createHash('sha256').update(manifest).digest('hex'),
      key,
    });
    if (!schemaMissing) expect(columnMismatch('chrome_extensions', rows[0])).toBe('');
  });

  it('lists each content script for each match pattern', () => {
    const rows = [...contentScriptRowsFor([user], createTestContext())];
    expect(rows.map((r) => [r.script, r.match])).toEqual([
      ['a.js', 'https://*/*'],
      ['a.js', 'http://*/*'],
      ['b.js', 'https://*/*'],
      ['b.js', 'http://*/*'],
    ]);
    if (!schemaMissing) expect(columnMismatch('chrome_extension_content_scripts', rows[0])).toBe('');
  });

  it('warns about a broken manifest and keeps going', () => {
    const bad = join(profile, 'Extensions', 'b'.repeat(32), '1.0');
    mkdirSync(bad, { recursive: true });
    writeFileSync(join(bad, 'manifest.json'), '{broken');
    const ctx = createTestContext();
    expect([...chromeExtensionRows([user], ctx)]).toHaveLength(1);
    expect(ctx.warnings).toHaveLength(1);
    rmSync(join(profile, 'Extensions', 'b'.repeat(32)), { recursive: true });
  });

  it('computes ids and times like Chrome', () => {
    expect(chromeExtensionId(Buffer.alloc(0))).toMatch(/^[a-p]{32}$/);
    expect(chromeTimeToUnix('11644473600000000')).toBe(0);
    expect(chromeTimeToUnix('x')).toBeNull();
  });

  it('yields nothing for a user without browser profiles', () => {
    expect(collectRows(chromeExtensions, { constraints: { uid: ['-12345'] } })).toEqual([]);
    expect(collectRows(chromeExtensionContentScripts, { constraints: { uid: ['-12345'] } })).toEqual([]);
  });
});
