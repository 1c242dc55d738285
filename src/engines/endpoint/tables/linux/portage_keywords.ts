import type { Row, TableImpl } from '../../types.js';
import { PORTAGE_KEYWORDS, PORTAGE_MASK, PORTAGE_UNMASK, splitAtom } from '../common/portage.js';
import { readTextOrUndefined } from '../common/proc.js';
import { tokens } from '../common/text-table.js';

function atoms(text: string | undefined): string[][] {
  if (text === undefined) return [];
  return text
    .split('\n')
    .map(tokens)
    .filter((t) => t.length > 0 && !t[0]!.startsWith('#'));
}

/**
 * Merges package.keywords, package.mask and package.unmask like osquery: one row per atom, with the
 * keyword (if any) and mask/unmask flags.
 *
 * @example
 * keywordRows('=app-misc/foo-1.0 ~amd64\n', 'app-misc/foo\n', '')[0] // { package: 'app-misc/foo', version: '1.0', keyword: '~amd64', mask: 0, unmask: 0 }
 */
export function keywordRows(keywords: string | undefined, masked: string | undefined, unmasked: string | undefined): Row[] {
  const byAtom = new Map<string, { package: string; version: string; keyword: string; mask: number; unmask: number }>();
  for (const t of atoms(keywords)) {
    const keyword = t[1] ?? '';
    if (keyword.startsWith('#')) continue;
    const [pkg, version] = splitAtom(t[0]!);
    byAtom.set(t[0]!, { package: pkg, version, keyword, mask: 0, unmask: 0 });
  }
  for (const [list, flag] of [
    [atoms(masked), 'mask'],
    [atoms(unmasked), 'unmask'],
  ] as const) {
    for (const t of list) {
      const hit = byAtom.get(t[0]!);
      if (hit) hit[flag] = 1;
      else {
        const [pkg, version] = splitAtom(t[0]!);
        byAtom.set(t[0]!, { package: pkg, version, keyword: '', mask: flag === 'mask' ? 1 : 0, unmask: flag === 'unmask' ? 1 : 0 });
      }
    }
  }
  return [...byAtom.values()].map((v) => ({ ...v }));
}

/**
 * `portage_keywords`: Gentoo's keyword, mask and unmask settings (/etc/portage/package.*).
 *
 * @example
 * const rows = [...portageKeywords.generate(createTestContext())];
 */
export const portageKeywords: TableImpl = {
  name: 'portage_keywords',
  *generate() {
    yield* keywordRows(readTextOrUndefined(PORTAGE_KEYWORDS), readTextOrUndefined(PORTAGE_MASK), readTextOrUndefined(PORTAGE_UNMASK));
  },
};
