/**
 * chrome_extensions: extensions of Chromium-family browsers (Chrome, Chromium, Brave, Edge,
 * Opera, Vivaldi, Yandex) in the profiles of the users the query asks for (`uid`; the current
 * user by default, as in osquery).
 */
import { createHash } from 'node:crypto';
import { usersForQuery, type LocalUser } from '../common/accounts-b.js';
import { localizeManifestString, usersExtensions, type ChromiumExtension } from '../common/chromium.js';
import type { QueryContext, Row, TableImpl } from '../../types.js';

/** Seconds between 1601-01-01 (Chrome's time base) and the Unix epoch. */
const WINDOWS_EPOCH_OFFSET = 11644473600n;

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))) : [];
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Chrome stores install times as microseconds since 1601 in a decimal string. */
export function chromeTimeToUnix(value: string): number | null {
  if (!/^\d+$/.test(value)) return null;
  const seconds = BigInt(value) / 1_000_000n - WINDOWS_EPOCH_OFFSET;
  return seconds < 0n ? 0 : Number(seconds);
}

/** The osquery row for one extension. */
export function chromeExtensionRow(user: LocalUser, ext: ChromiumExtension): Row {
  const m = ext.manifest;
  const locale = str(m.default_locale);
  const s = ext.settings;
  const installTime = str(s?.first_install_time) || str(s?.install_time);
  const permissions = strings(m.permissions);
  const optional = strings(m.optional_permissions);
  const background = typeof m.background === 'object' && m.background !== null ? (m.background as Record<string, unknown>) : undefined;
  let state = '';
  if (s !== undefined) {
    if (typeof s.state === 'number') state = String(s.state);
    else if ('disable_reasons' in s) state = (Array.isArray(s.disable_reasons) ? s.disable_reasons.length : Number(s.disable_reasons)) ? '0' : '1';
  }
  const author = m.author;
  return {
    browser_type: ext.profile.browserType,
    uid: user.uid,
    name: localizeManifestString(m.name, ext.path, locale),
    profile: ext.profile.name,
    profile_path: ext.profile.path,
    referenced_identifier: ext.referencedIdentifier,
    identifier: ext.identifier,
    version: str(m.version),
    description: localizeManifestString(m.description, ext.path, locale),
    default_locale: locale,
    current_locale: '',
    update_url: str(m.update_url),
    author: typeof author === 'object' && author !== null ? str((author as Record<string, unknown>).email) : str(author),
    persistent: background?.persistent === true ? 1 : 0,
    path: ext.path,
    permissions: permissions.join(', '),
    permissions_json: JSON.stringify(permissions),
    optional_permissions: optional.join(', '),
    optional_permissions_json: JSON.stringify(optional),
    manifest_hash: createHash('sha256').update(ext.manifestText).digest('hex'),
    referenced: ext.referencedIdentifier === '' ? 0 : 1,
    from_webstore: typeof s?.from_webstore === 'boolean' ? String(s.from_webstore) : '',
    state,
    install_time: installTime,
    install_timestamp: installTime === '' ? null : chromeTimeToUnix(installTime),
    manifest_json: ext.manifestText,
    key: str(m.key),
  };
}

/** Rows for the extensions in the given users' homes. */
export function* chromeExtensionRows(users: readonly LocalUser[], ctx: QueryContext): Generator<Row> {
  for (const { user, ext } of usersExtensions(users, ctx, 'chrome_extensions')) yield chromeExtensionRow(user, ext);
}

/** Generator for osquery's `chrome_extensions` table. */
export const chromeExtensions: TableImpl = {
  name: 'chrome_extensions',
  generate: (ctx) => chromeExtensionRows(usersForQuery(ctx.constraint('uid')), ctx),
};
