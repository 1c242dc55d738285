/**
 * chrome_extension_content_scripts: one row per (script, match pattern) pair of every content
 * script an extension injects, for the same browsers and users as chrome_extensions.
 */
import { usersForQuery, type LocalUser } from '../common/accounts-b.js';
import { usersExtensions, type ChromiumExtension } from '../common/chromium.js';
import type { QueryContext, Row, TableImpl } from '../../types.js';

/** Rows for one extension's manifest content_scripts. */
export function contentScriptRows(uid: number, ext: ChromiumExtension): Row[] {
  const rows: Row[] = [];
  const scripts = Array.isArray(ext.manifest.content_scripts) ? ext.manifest.content_scripts : [];
  for (const entry of scripts) {
    if (typeof entry !== 'object' || entry === null) continue;
    const e = entry as Record<string, unknown>;
    const js = Array.isArray(e.js) ? e.js.filter((x): x is string => typeof x === 'string') : [];
    const matches = Array.isArray(e.matches) ? e.matches.filter((x): x is string => typeof x === 'string') : [];
    for (const script of js) {
      for (const match of matches) {
        rows.push({
          browser_type: ext.profile.browserType,
          uid,
          identifier: ext.identifier,
          version: typeof ext.manifest.version === 'string' ? ext.manifest.version : '',
          script,
          match,
          profile_path: ext.profile.path,
          path: ext.path,
          referenced: ext.referencedIdentifier === '' ? 0 : 1,
        });
      }
    }
  }
  return rows;
}

/** Rows for the content scripts of the extensions in the given users' homes. */
export function* contentScriptRowsFor(users: readonly LocalUser[], ctx: QueryContext): Generator<Row> {
  for (const { user, ext } of usersExtensions(users, ctx, 'chrome_extension_content_scripts')) yield* contentScriptRows(user.uid, ext);
}

/** Generator for osquery's `chrome_extension_content_scripts` table. */
export const chromeExtensionContentScripts: TableImpl = {
  name: 'chrome_extension_content_scripts',
  generate: (ctx) => contentScriptRowsFor(usersForQuery(ctx.constraint('uid')), ctx),
};
