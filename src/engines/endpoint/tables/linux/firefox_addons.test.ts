import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { firefoxAddonRows } from './firefox_addons.js';

const home = mkdtempSync(join(tmpdir(), 'vigil-home-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const user = { name: 'tester', uid: 4243, gid: 4243, home };

describe('firefox_addons', () => {
  it('reads extensions.json of a real-format profile under a temp HOME', () => {
    const profile = join(home, '.mozilla', 'firefox', 'abcd1234.default-release');
    mkdirSync(profile, { recursive: true });
    // The shape Firefox's XPIDatabase writes (schemaVersion, addons[] with defaultLocale).
    writeFileSync(
      join(profile, 'extensions.json'),
      JSON.stringify({
        schemaVersion: 36,
        addons: [
          {
            id: 'uBlock0@raymondhill.net',
            version: '1.57.2',
            type: 'extension',
            defaultLocale: { name: 'uBlock Origin', description: 'Finally, an efficient blocker.', creator: 'Raymond Hill' },
            visible: true,
            active: true,
            userDisabled: false,
            applyBackgroundUpdates: 1,
            location: 'app-profile',
            path: `${profile}/extensions/uBlock0@raymondhill.net.xpi`,
            sourceURI: 'https://addons.mozilla.org/firefox/downloads/file/4237670/ublock_origin-1.57.2.xpi',
          },
          { id: 'default-theme@mozilla.org', version: '1.3', type: 'theme', defaultLocale: { name: 'System theme' }, visible: true, active: false, userDisabled: true, location: 'app-builtin' },
        ],
      }),
    );
    const ctx = createTestContext();
    const rows = [...firefoxAddonRows([user], ctx)];
    expect(ctx.warnings).toEqual([]);
    expect(rows[0]).toEqual({
      uid: 4243,
      name: 'uBlock Origin',
      identifier: 'uBlock0@raymondhill.net',
      creator: 'Raymond Hill',
      type: 'extension',
      version: '1.57.2',
      description: 'Finally, an efficient blocker.',
      source_url: 'https://addons.mozilla.org/firefox/downloads/file/4237670/ublock_origin-1.57.2.xpi',
      visible: 1,
      active: 1,
      disabled: 0,
      autoupdate: 1,
      location: 'app-profile',
      path: `${profile}/extensions/uBlock0@raymondhill.net.xpi`,
    });
    expect(rows[1]).toMatchObject({ identifier: 'default-theme@mozilla.org', type: 'theme', active: 0, disabled: 1, creator: '' });
    if (!schemaMissing) expect(columnMismatch('firefox_addons', rows[0])).toBe('');
  });

  it('warns about a corrupt extensions.json', () => {
    const profile = join(home, '.mozilla', 'firefox', 'zzzz.broken');
    mkdirSync(profile, { recursive: true });
    writeFileSync(join(profile, 'extensions.json'), '{"addons": [');
    const ctx = createTestContext();
    [...firefoxAddonRows([user], ctx)];
    expect(ctx.warnings).toHaveLength(1);
  });
});
