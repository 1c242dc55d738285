/**
 * suid_bin: set-user-ID and set-group-ID regular files under the standard binary directories, as
 * osquery finds them (it follows a top directory that is a symlink, e.g. /bin -> usr/bin, but never
 * descends into a symlinked subdirectory).
 */
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { readAccountNames } from '../common/accounts-b.js';
import type { QueryContext, Row, TableImpl } from '../../types.js';

/** The directories osquery searches, in its order. */
export const SUID_SEARCH_PATHS = ['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin', '/tmp'];

/** osquery's permissions column: S for set-uid, G for set-gid. */
export function suidPermissions(mode: number): string {
  return (mode & 0o4000 ? 'S' : '') + (mode & 0o2000 ? 'G' : '');
}

/**
 * Walks `roots` and yields a row per set-uid/set-gid regular file.
 *
 * @example
 * [...suidRows(['/usr/bin'], ctx)].map((r) => r.path);
 */
export function* suidRows(roots: readonly string[], ctx: QueryContext): Generator<Row> {
  const names = readAccountNames();
  for (const root of roots) {
    const stack: string[] = [root];
    while (stack.length > 0) {
      if (ctx.signal.aborted) return;
      const dir = stack.pop()!;
      let entries: Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch (e) {
        if (dir !== root) ctx.warn(`suid_bin: cannot list ${dir}`, e);
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const subdirs: string[] = [];
      for (const entry of entries) {
        const path = join(dir, entry.name);
        // A real directory is walked without a stat; a symlinked one is never entered.
        if (entry.isDirectory()) {
          subdirs.push(path);
          continue;
        }
        if (!entry.isFile() && !entry.isSymbolicLink()) continue;
        const st = statSync(path, { throwIfNoEntry: false });
        // Dangling symlinks and files that vanished are not binaries.
        if (st === undefined || !st.isFile() || (st.mode & 0o6000) === 0) continue;
        yield {
          path,
          username: names.user(st.uid),
          groupname: names.group(st.gid),
          permissions: suidPermissions(st.mode),
          pid_with_namespace: 0,
        };
      }
      for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]);
    }
  }
}

/** Generator for osquery's `suid_bin` table. */
export const suidBin: TableImpl = {
  name: 'suid_bin',
  generate: (ctx) => suidRows(SUID_SEARCH_PATHS, ctx),
};
