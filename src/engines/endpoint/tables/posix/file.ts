import { lstatSync, readlinkSync, statSync, type BigIntStats } from 'node:fs';
import { basename } from 'node:path';
import type { QueryContext, Row, TableImpl } from '../../types.js';
import { pathTargets, type PathTarget } from '../common/path-targets.js';

/** osquery's file type names for a (followed) stat. */
export function fileType(st: BigIntStats): string {
  if (st.isFile()) return 'regular';
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isBlockDevice()) return 'block';
  if (st.isCharacterDevice()) return 'character';
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  return 'unknown';
}

/**
 * Permission bits as osquery prints them: four octal digits including setuid/setgid/sticky.
 *
 * @example
 * octalMode(0o104755n) // '4755'
 */
export function octalMode(mode: bigint): string {
  return (mode & 0o7777n).toString(8).padStart(4, '0');
}

const seconds = (ns: bigint): bigint => ns / 1_000_000_000n;

/** osquery's `filename` (the last component, `.` for a path that ends in `/`). */
export function fileName(path: string): string {
  return path.endsWith('/') && path.length > 1 ? '.' : basename(path);
}

/**
 * stat(2) of one target as an osquery `file` row, or undefined when it vanished. Like osquery, the row
 * describes what a symbolic link points to and flags the link itself in `symlink`.
 */
export function fileRow(target: PathTarget, ctx: QueryContext): Row | undefined {
  const { path } = target;
  let link: BigIntStats | undefined;
  try {
    link = lstatSync(path, { bigint: true, throwIfNoEntry: false });
  } catch (e) {
    ctx.warn(`file: cannot stat ${path} (${(e as { code?: string }).code ?? String(e)}); skipped`);
    return undefined;
  }
  if (link === undefined) return undefined;
  const isLink = link.isSymbolicLink();
  let st = link;
  let target_ = '';
  let dangling = false;
  if (isLink) {
    try {
      target_ = readlinkSync(path.endsWith('/') ? path.slice(0, -1) : path);
    } catch {
      target_ = '';
    }
    // A dangling link is still described, by the link itself.
    let followed: BigIntStats | undefined;
    try {
      followed = statSync(path, { bigint: true, throwIfNoEntry: false });
    } catch {
      followed = undefined;
    }
    // A dangling link (or one we may not follow) is described by the link itself, type "unknown" as osquery.
    if (followed === undefined) dangling = true;
    st = followed ?? link;
  }
  return {
    path,
    directory: target.directory,
    filename: fileName(path),
    inode: st.ino,
    uid: st.uid,
    gid: st.gid,
    mode: octalMode(st.mode),
    device: st.rdev,
    size: st.size,
    block_size: Number(st.blksize),
    atime: seconds(st.atimeNs),
    mtime: seconds(st.mtimeNs),
    ctime: seconds(st.ctimeNs),
    btime: seconds(st.birthtimeNs),
    hard_links: Number(st.nlink),
    symlink: isLink ? 1 : 0,
    type: dangling ? 'unknown' : fileType(st),
    symlink_target_path: target_,
    pid_with_namespace: null,
    mount_namespace_id: null,
  };
}

/**
 * `file`: stat(2) of the paths a query names by `path` (=, IN, LIKE with osquery's `%` one level and `%%`
 * recursive globs) or `directory` (its entries).
 *
 * @example
 * vigil query "select path, mode, size from file where path like '/etc/%.conf'"
 */
export const file: TableImpl = {
  name: 'file',
  *generate(ctx) {
    for (const target of pathTargets(ctx, 'file')) {
      const row = fileRow(target, ctx);
      if (row) yield row;
    }
  },
};
