import type { Row, TableImpl } from '../../types.js';
import { PORTAGE_PKG_DIR, installedPackageDirs, splitAtom } from '../common/portage.js';
import { readTextOrUndefined } from '../common/proc.js';
import { tokens } from '../common/text-table.js';

/** portage_use rows for one installed package directory: one per USE flag it was built with. */
export function portageUseRows(dir: string, root: string, use: string): Row[] {
  const [pkg, version] = splitAtom(dir.slice(root.length + 1));
  return tokens(use).map((flag) => ({ package: pkg, version, use: flag }));
}

/**
 * `portage_use`: the USE flags each installed Gentoo package was built with (/var/db/pkg/.../USE).
 *
 * @example
 * const flags = [...portageUse.generate(createTestContext())];
 */
export const portageUse: TableImpl = {
  name: 'portage_use',
  *generate() {
    for (const dir of installedPackageDirs()) {
      const use = readTextOrUndefined(`${dir}/USE`);
      if (use !== undefined) yield* portageUseRows(dir, PORTAGE_PKG_DIR, use);
    }
  },
};
