import { readFileSync } from 'node:fs';
import type { Row, TableImpl } from '../../types.js';
import { DPKG_ADMINDIR, debRowsFromStatus } from './deb_packages.js';

/**
 * The file list of one package in <admindir>/info: "<name>.list", or "<name>:<arch>.list" for
 * Multi-Arch: same packages (which osquery's libdpkg lookup by bare name misses).
 */
function readFileList(admindir: string, name: string, arch: string): string | undefined {
  for (const file of [`${admindir}/info/${name}.list`, `${admindir}/info/${name}:${arch}.list`]) {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      // try the multi-arch name
    }
  }
  return undefined;
}

/**
 * `deb_package_files`: the paths each installed Debian package owns (<admindir>/info/*.list, as
 * `dpkg -L` shows them). `WHERE package = 'x'` reads one list; `admindir` selects another database.
 *
 * @example
 * const files = [...debPackageFiles.generate(createTestContext({ constraints: { package: ['bash'] } }))];
 */
export const debPackageFiles: TableImpl = {
  name: 'deb_package_files',
  *generate(ctx) {
    const wanted = ctx.constraint('package');
    for (const admindir of ctx.constraint('admindir') ?? [DPKG_ADMINDIR]) {
      let status: string;
      try {
        status = readFileSync(`${admindir}/status`, 'utf8');
      } catch {
        continue;
      }
      for (const pkg of debRowsFromStatus(status, admindir)) {
        if (ctx.signal.aborted) return;
        const name = String(pkg.name);
        if (wanted !== undefined && !wanted.includes(name)) continue;
        const list = readFileList(admindir, name, String(pkg.arch));
        if (list === undefined) continue;
        for (const path of list.split('\n')) {
          if (path === '') continue;
          const row: Row = { package: name, path, admindir };
          yield row;
        }
      }
    }
  },
};
