import { existsSync } from 'node:fs';
import type { Row, TableImpl } from '../../types.js';
import { PGPHASHALGO_SHA256, RPMTAG, type RpmHeader } from '../common/rpm-header.js';
import { RPMDB_SQLITE, readRpmHeaders } from './rpm_packages.js';

/** osquery skips packages with more files than this (rpm_packages.cpp MAX_RPM_FILES). */
const MAX_RPM_FILES = 64 * 1024;

/**
 * The files of one package header: paths from DIRNAMES[DIRINDEXES[i]] + BASENAMES[i] (or the old
 * OLDFILENAMES), owner, group, mode as four octal digits, size (64-bit sizes preferred) and the SHA-256
 * digest when the package uses SHA-256 file digests.
 *
 * @example
 * rpmFileRows(header).map((r) => r.path)
 */
export function rpmFileRows(h: RpmHeader): Row[] {
  const pkg = h.string(RPMTAG.NAME);
  const base = h.strings(RPMTAG.BASENAMES);
  const dirs = h.strings(RPMTAG.DIRNAMES);
  const index = h.numbers(RPMTAG.DIRINDEXES);
  const paths = base.length > 0 ? base.map((b, i) => `${dirs[index[i] ?? -1] ?? ''}${b}`) : [...h.strings(RPMTAG.OLDFILENAMES)];
  if (paths.length === 0 || paths.length > MAX_RPM_FILES) return [];
  const users = h.strings(RPMTAG.FILEUSERNAME);
  const groups = h.strings(RPMTAG.FILEGROUPNAME);
  const modes = h.numbers(RPMTAG.FILEMODES);
  const longSizes = h.numbers(RPMTAG.LONGFILESIZES);
  const sizes = longSizes.length > 0 ? longSizes : h.numbers(RPMTAG.FILESIZES);
  const sha256 = (h.number(RPMTAG.FILEDIGESTALGO) ?? 1) === PGPHASHALGO_SHA256;
  const digests = h.strings(RPMTAG.FILEDIGESTS);
  return paths.map((path, i) => ({
    package: pkg,
    path,
    username: users[i] ?? '',
    groupname: groups[i] ?? '',
    mode: modes[i] === undefined ? null : (modes[i]! & 0o7777).toString(8).padStart(4, '0'),
    size: sizes[i] ?? null,
    sha256: sha256 ? (digests[i] ?? '') : null,
  }));
}

/**
 * `rpm_package_files`: the files each installed RPM package owns, from the sqlite rpmdb. `WHERE package
 * = 'x'` decodes only that package's file list. Nothing without an rpmdb.
 *
 * @example
 * const files = [...rpmPackageFiles.generate(createTestContext({ constraints: { package: ['bash'] } }))];
 */
export const rpmPackageFiles: TableImpl = {
  name: 'rpm_package_files',
  *generate(ctx) {
    if (!existsSync(RPMDB_SQLITE)) return;
    const wanted = ctx.constraint('package');
    for (const h of readRpmHeaders(RPMDB_SQLITE, ctx, 'rpm_package_files')) {
      if (wanted !== undefined && !wanted.includes(String(h.string(RPMTAG.NAME)))) continue;
      yield* rpmFileRows(h);
    }
  },
};
