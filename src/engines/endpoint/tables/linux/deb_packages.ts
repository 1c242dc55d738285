import { readFileSync } from 'node:fs';
import type { Row, TableImpl } from '../../types.js';
import { debianRevision, parseDeb822 } from '../common/dpkg.js';

export const DPKG_ADMINDIR = '/var/lib/dpkg';

/**
 * deb_packages rows from the text of a dpkg status file, as libdpkg lists them for osquery: every package
 * the database knows except purged ("not-installed") ones, sorted by name then architecture.
 *
 * @example
 * debRowsFromStatus('Package: a\nStatus: install ok installed\nVersion: 1.0-2\n', '/var/lib/dpkg')[0]?.revision // '2'
 */
export function debRowsFromStatus(text: string, admindir: string): Row[] {
  const rows: Row[] = [];
  for (const p of parseDeb822(text)) {
    const name = p.get('Package');
    const status = p.get('Status') ?? '';
    if (name === undefined || status.endsWith(' not-installed') || status === '') continue;
    const version = p.get('Version') ?? '';
    const size = p.get('Installed-Size');
    rows.push({
      name,
      version,
      source: p.get('Source') ?? '',
      size: size !== undefined && /^[0-9]+$/.test(size) ? Number(size) : null,
      arch: p.get('Architecture') ?? '',
      revision: debianRevision(version),
      status,
      maintainer: p.get('Maintainer') ?? '',
      section: p.get('Section') ?? '',
      priority: p.get('Priority') ?? '',
      admindir,
      pid_with_namespace: 0,
      mount_namespace_id: null,
    });
  }
  const key = (r: Row): string => `${String(r.name)}\u0000${String(r.arch)}`;
  return rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/**
 * `deb_packages`: packages in the dpkg database (<admindir>/status; /var/lib/dpkg unless the query pins
 * `admindir`). A host without dpkg yields nothing.
 *
 * @example
 * const names = [...debPackages.generate(createTestContext())].map((r) => r.name);
 */
export const debPackages: TableImpl = {
  name: 'deb_packages',
  *generate(ctx) {
    for (const admindir of ctx.constraint('admindir') ?? [DPKG_ADMINDIR]) {
      const path = `${admindir.replace(/\/+$/, '')}/status`;
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (e) {
        // No dpkg on this host is normal; a pinned admindir that is unreadable deserves a warning.
        if (ctx.constraint('admindir') !== undefined) ctx.warn(`deb_packages: cannot read ${path}`, e);
        continue;
      }
      yield* debRowsFromStatus(text, admindir);
    }
  },
};
