import type { Row, TableImpl } from '../../types.js';
import { PORTAGE_PKG_DIR, PORTAGE_WORLD, installedPackageDirs, splitAtom } from '../common/portage.js';
import { readTextOrUndefined } from '../common/proc.js';
import { tokens } from '../common/text-table.js';

/** The package names listed in the world file (explicitly installed). */
export function parseWorld(text: string): Set<string> {
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    const t = tokens(line);
    if (t.length === 0 || t[0]!.startsWith('#')) continue;
    out.add(splitAtom(t[0]!)[0]);
  }
  return out;
}

/** A portage_packages row for an installed package directory under `root`. */
export function portagePackageRow(dir: string, root: string, world: ReadonlySet<string>): Row {
  const [pkg, version] = splitAtom(dir.slice(root.length + 1));
  const read = (f: string): string | null => readTextOrUndefined(`${dir}/${f}`)?.trim() ?? null;
  const int = (v: string | null): number | null => (v !== null && /^-?[0-9]+$/.test(v) ? Number(v) : null);
  return {
    package: pkg,
    version,
    slot: read('SLOT'),
    build_time: int(read('BUILD_TIME')),
    repository: read('repository'),
    eapi: int(read('EAPI')),
    size: int(read('SIZE')),
    world: world.has(pkg) ? 1 : 0,
  };
}

/**
 * `portage_packages`: packages installed by Gentoo's Portage (/var/db/pkg), with world-file membership.
 * Like osquery, nothing without a world file.
 *
 * @example
 * const pkgs = [...portagePackages.generate(createTestContext())];
 */
export const portagePackages: TableImpl = {
  name: 'portage_packages',
  *generate() {
    const world = readTextOrUndefined(PORTAGE_WORLD);
    if (world === undefined) return;
    const names = parseWorld(world);
    for (const dir of installedPackageDirs()) yield portagePackageRow(dir, PORTAGE_PKG_DIR, names);
  },
};
