/**
 * firefox_addons: add-ons (extensions, themes, dictionaries, locales) of the Firefox profiles of
 * the users the query asks for, from each profile's extensions.json (the add-on manager's database).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { usersForQuery, type LocalUser } from '../common/accounts-b.js';
import { listDir } from '../common/sysfs.js';
import type { QueryContext, Row, TableImpl } from '../../types.js';

/** Where Firefox keeps profiles under a home directory (deb/tarball and snap installs). */
export const FIREFOX_ROOTS = ['.mozilla/firefox', 'snap/firefox/common/.mozilla/firefox'];

const bool = (v: unknown): number => (v === true ? 1 : 0);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * Rows for an extensions.json document (throws on invalid JSON; the caller warns).
 *
 * @example
 * parseExtensionsJson(readFileSync(file, 'utf8'), 1000);
 */
export function parseExtensionsJson(text: string, uid: number): Row[] {
  const doc = JSON.parse(text) as { addons?: unknown };
  const addons = Array.isArray(doc.addons) ? doc.addons : [];
  const rows: Row[] = [];
  for (const a of addons) {
    if (typeof a !== 'object' || a === null) continue;
    const addon = a as Record<string, unknown>;
    const locale = (typeof addon.defaultLocale === 'object' && addon.defaultLocale !== null ? addon.defaultLocale : {}) as Record<string, unknown>;
    rows.push({
      uid,
      name: str(locale.name),
      identifier: str(addon.id),
      creator: str(locale.creator),
      type: str(addon.type),
      version: str(addon.version),
      description: str(locale.description),
      source_url: str(addon.sourceURI),
      visible: bool(addon.visible),
      active: bool(addon.active),
      disabled: bool(addon.userDisabled),
      autoupdate: typeof addon.applyBackgroundUpdates === 'number' ? addon.applyBackgroundUpdates : 0,
      location: str(addon.location),
      path: str(addon.path),
    });
  }
  return rows;
}

function* profileRows(file: string, uid: number, ctx: QueryContext): Generator<Row> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return; // a profile that never ran has no add-on database
  }
  try {
    yield* parseExtensionsJson(text, uid);
  } catch (e) {
    ctx.warn(`firefox_addons: ${file} is not valid JSON`, e);
  }
}

/** Rows for the add-ons in the given users' Firefox profiles. */
export function* firefoxAddonRows(users: readonly LocalUser[], ctx: QueryContext): Generator<Row> {
  for (const user of users) {
    for (const rel of FIREFOX_ROOTS) {
      const root = join(user.home, rel);
      for (const profile of listDir(root)) yield* profileRows(join(root, profile, 'extensions.json'), user.uid, ctx);
    }
  }
}

/** Generator for osquery's `firefox_addons` table. */
export const firefoxAddons: TableImpl = {
  name: 'firefox_addons',
  generate: (ctx) => firefoxAddonRows(usersForQuery(ctx.constraint('uid')), ctx),
};
