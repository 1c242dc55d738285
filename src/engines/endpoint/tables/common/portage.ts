/**
 * Gentoo Portage databases: /var/db/pkg/<category>/<name>-<version>/ and /etc/portage files.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const PORTAGE_PKG_DIR = '/var/db/pkg';
export const PORTAGE_WORLD = '/var/lib/portage/world';
export const PORTAGE_KEYWORDS = '/etc/portage/package.keywords';
export const PORTAGE_MASK = '/etc/portage/package.mask';
export const PORTAGE_UNMASK = '/etc/portage/package.unmask';

/**
 * Splits a Portage atom ("=dev-lang/python-3.11.4-r1", ">=sys-apps/foo-2") into package and version
 * as osquery does: leading operators stay with the version except a lone '=', the version is the part
 * after the last '-' followed by a digit (or the one before it, for -r revisions).
 *
 * @example
 * splitAtom('=dev-lang/python-3.11.4-r1') // ['dev-lang/python', '3.11.4-r1']
 */
export function splitAtom(atom: string): [string, string] {
  let s = atom.endsWith('/') ? atom.slice(0, -1) : atom;
  let version = '';
  while (s.startsWith('>') || s.startsWith('<') || s.startsWith('=')) {
    if (!(version === '' && s.startsWith('='))) version += s[0];
    s = s.slice(1);
  }
  const slash = s.indexOf('/');
  const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
  let at = s.lastIndexOf('-');
  if (at >= 0 && at > slash && at < s.length - 1 && isDigit(s[at + 1])) {
    return [s.slice(0, at), version + s.slice(at + 1)];
  }
  at = at > 0 ? s.lastIndexOf('-', at - 1) : -1;
  if (at >= 0 && at > slash && at < s.length - 1 && isDigit(s[at + 1])) {
    return [s.slice(0, at), version + s.slice(at + 1)];
  }
  return [s, version];
}

/** The installed package directories (/var/db/pkg/<category>/<name-version>), sorted. */
export function installedPackageDirs(root = PORTAGE_PKG_DIR): string[] {
  const out: string[] = [];
  let categories: string[];
  try {
    categories = readdirSync(root).sort();
  } catch {
    return [];
  }
  for (const c of categories) {
    let pkgs: string[];
    try {
      pkgs = readdirSync(join(root, c)).sort();
    } catch {
      continue;
    }
    for (const p of pkgs) {
      const dir = join(root, c, p);
      try {
        if (statSync(dir).isDirectory()) out.push(dir);
      } catch {
        // vanished while listing
      }
    }
  }
  return out;
}
