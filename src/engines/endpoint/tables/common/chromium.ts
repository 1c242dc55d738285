/**
 * Chromium-family browser profiles and extensions, shared by chrome_extensions and
 * chrome_extension_content_scripts. A profile is a directory holding `Preferences`; installed
 * extensions live in <profile>/Extensions/<id>/<version>/manifest.json, and the profile's
 * Preferences / Secure Preferences list every extension it references (unpacked ones included)
 * with its install time and state.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { LocalUser } from './accounts-b.js';
import { listDir } from './sysfs.js';
import type { QueryContext } from '../../types.js';

/** Browser data directories under a user's home on Linux, by osquery's browser_type. */
export const CHROMIUM_BROWSERS: readonly { readonly type: string; readonly paths: readonly string[] }[] = [
  { type: 'chrome', paths: ['.config/google-chrome', '.config/google-chrome-beta', '.config/google-chrome-unstable'] },
  { type: 'chromium', paths: ['.config/chromium', 'snap/chromium/common/chromium'] },
  { type: 'brave', paths: ['.config/BraveSoftware/Brave-Browser'] },
  { type: 'edge', paths: ['.config/microsoft-edge'] },
  { type: 'edge_beta', paths: ['.config/microsoft-edge-beta'] },
  { type: 'opera', paths: ['.config/opera'] },
  { type: 'vivaldi', paths: ['.config/vivaldi'] },
  { type: 'yandex', paths: ['.config/yandex-browser', '.config/yandex-browser-beta'] },
];

export interface ChromiumProfile {
  readonly browserType: string;
  readonly path: string;
  readonly name: string;
  /** extensions.settings from Preferences merged with Secure Preferences. */
  readonly settings: Readonly<Record<string, Record<string, unknown>>>;
}

export interface ChromiumExtension {
  readonly profile: ChromiumProfile;
  /** The extension's directory (the one holding manifest.json). */
  readonly path: string;
  readonly manifestText: string;
  readonly manifest: Record<string, unknown>;
  readonly identifier: string;
  /** The id under which the profile's preferences list it, or '' when they do not. */
  readonly referencedIdentifier: string;
  readonly settings: Record<string, unknown> | undefined;
}

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Chrome's extension id: the first 128 bits of SHA-256 over the public key (manifest "key",
 * base64 DER) or, for an unpacked extension without a key, over its absolute path, written with
 * the letters a-p for the hex digits 0-f.
 *
 * @example
 * chromeExtensionId(Buffer.from(manifest.key, 'base64'));
 */
export function chromeExtensionId(input: Buffer | string): string {
  const hex = createHash('sha256').update(input).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + Number.parseInt(c, 16))).join('');
}

/** The profiles of every Chromium-family browser in a user's home. */
export function chromiumProfiles(home: string): ChromiumProfile[] {
  const out: ChromiumProfile[] = [];
  for (const browser of CHROMIUM_BROWSERS) {
    for (const rel of browser.paths) {
      const root = join(home, rel);
      // Opera keeps a single profile in its data directory itself; the others use Default, Profile N, ...
      const candidates = [root, ...listDir(root).map((e) => join(root, e))];
      for (const dir of candidates) {
        const prefs = readJson(join(dir, 'Preferences'));
        if (prefs === undefined || !isDir(dir)) continue;
        const secure = readJson(join(dir, 'Secure Preferences'));
        const settings: Record<string, Record<string, unknown>> = {};
        for (const source of [prefs, secure]) {
          const s = obj(obj(source?.extensions)?.settings);
          if (s) for (const [id, v] of Object.entries(s)) settings[id] = { ...(settings[id] ?? {}), ...(obj(v) ?? {}) };
        }
        const name = obj(prefs.profile)?.name;
        out.push({ browserType: browser.type, path: dir, name: typeof name === 'string' ? name : '', settings });
      }
    }
  }
  return out;
}

function manifestAt(dir: string): { text: string; manifest: Record<string, unknown> } | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, 'manifest.json'), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const manifest = obj(JSON.parse(text.replace(/^\uFEFF/, '')));
    return manifest ? { text, manifest } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every extension of a profile: the installed ones under Extensions/, and those the preferences
 * reference from elsewhere (unpacked, or external), each once.
 */
export function* profileExtensions(profile: ChromiumProfile, ctx: QueryContext, table: string): Generator<ChromiumExtension> {
  const seen = new Set<string>();
  const extRoot = join(profile.path, 'Extensions');
  const emit = (dir: string, idHint: string): ChromiumExtension | undefined => {
    if (seen.has(dir)) return undefined;
    seen.add(dir);
    const m = manifestAt(dir);
    if (m === undefined) {
      ctx.warn(`${table}: cannot read or parse ${join(dir, 'manifest.json')}`);
      return undefined;
    }
    const key = typeof m.manifest.key === 'string' ? m.manifest.key : '';
    const identifier = key !== '' ? chromeExtensionId(Buffer.from(key, 'base64')) : idHint !== '' ? idHint : chromeExtensionId(dir);
    const referenced = profile.settings[identifier] !== undefined ? identifier : profile.settings[idHint] !== undefined ? idHint : '';
    return {
      profile,
      path: dir,
      manifestText: m.text,
      manifest: m.manifest,
      identifier,
      referencedIdentifier: referenced,
      settings: referenced === '' ? undefined : profile.settings[referenced],
    };
  };
  for (const id of listDir(extRoot)) {
    if (ctx.signal.aborted) return;
    for (const version of listDir(join(extRoot, id))) {
      const dir = join(extRoot, id, version);
      if (!isDir(dir)) continue;
      const ext = emit(dir, id);
      if (ext) yield ext;
    }
  }
  for (const [id, s] of Object.entries(profile.settings)) {
    const p = typeof s.path === 'string' ? s.path : '';
    if (p === '' || !isAbsolute(p)) continue; // relative paths point into Extensions/, read above
    if (!isDir(p)) continue;
    const ext = emit(p, id);
    if (ext) yield ext;
  }
}

/** All extensions of the given users' browser profiles, with the user. */
export function* usersExtensions(users: readonly LocalUser[], ctx: QueryContext, table: string): Generator<{ user: LocalUser; ext: ChromiumExtension }> {
  for (const user of users) {
    for (const profile of chromiumProfiles(user.home)) {
      for (const ext of profileExtensions(profile, ctx, table)) yield { user, ext };
    }
  }
}

/**
 * Resolves a "__MSG_name__" manifest string from _locales/<locale>/messages.json (message names
 * are case-insensitive in Chrome).
 */
export function localizeManifestString(value: unknown, extDir: string, locale: string): string {
  if (typeof value !== 'string') return '';
  const m = /^__MSG_(.+)__$/.exec(value);
  if (!m || locale === '') return value;
  const messages = readJson(join(extDir, '_locales', locale, 'messages.json'));
  if (!messages) return value;
  const wanted = m[1].toLowerCase();
  for (const [k, v] of Object.entries(messages)) {
    const message = obj(v)?.message;
    if (k.toLowerCase() === wanted && typeof message === 'string') return message;
  }
  return value;
}
