import { lstatSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { dirname, join } from 'node:path';
import type { QueryContext } from '../../types.js';

/** A path the file-like tables (file, hash, magic) should describe, with osquery's `directory` value. */
export interface PathTarget {
  readonly path: string;
  readonly directory: string;
}

function errorCode(e: unknown): string | undefined {
  return (e as { code?: string } | undefined)?.code;
}

function listDir(dir: string, ctx: QueryContext, table: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    const code = errorCode(e);
    // A directory that vanished or is not a directory is no error: the pattern simply matches nothing there.
    if (code !== 'ENOENT' && code !== 'ENOTDIR') ctx.warn(`${table}: cannot list ${dir} (${code ?? String(e)}); skipped`);
    return [];
  }
}

/**
 * Turns one LIKE segment into a matcher: `%` any run of characters, `_` one character, case-insensitive
 * like SQLite's LIKE. Like osquery's glob, a wildcard never matches a leading dot.
 */
function segmentMatcher(segment: string): (name: string) => boolean {
  const source = [...segment].map((ch) => (ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  const re = new RegExp(`^${source}$`, 'is');
  const leadingWild = segment.startsWith('%') || segment.startsWith('_');
  return (name) => !(leadingWild && name.startsWith('.')) && re.test(name);
}

function exists(p: string, ctx: QueryContext, table: string): boolean {
  try {
    return lstatSync(p, { throwIfNoEntry: false }) !== undefined;
  } catch (e) {
    const code = errorCode(e);
    if (code !== 'ENOTDIR') ctx.warn(`${table}: cannot stat ${p} (${code ?? String(e)}); skipped`);
    return false;
  }
}

function isDirEntry(dir: string, e: Dirent): boolean {
  if (e.isDirectory()) return true;
  if (!e.isSymbolicLink()) return false;
  try {
    return statSync(join(dir, e.name), { throwIfNoEntry: false })?.isDirectory() === true;
  } catch {
    // A link we may not follow (EACCES, ELOOP) is not a directory we can enter.
    return false;
  }
}

/**
 * Expands an osquery path pattern: `%` matches within one path level, `%%` (a whole segment) matches any
 * number of levels below, recursively. Directories found by a wildcard get a trailing `/` as osquery's
 * glob marks them. Symbolic links are not followed during recursion, so cycles cannot hang the query.
 *
 * @example
 * [...expandPathPattern('/etc/%.conf', ctx, 'file')] // ['/etc/adduser.conf', '/etc/ld.so.conf', ...]
 */
export function* expandPathPattern(pattern: string, ctx: QueryContext, table: string): Generator<string> {
  if (!pattern.startsWith('/')) return;
  const segments = pattern.split('/').slice(1);
  yield* walk('/', segments, 0, ctx, table, false);
}

function* walk(base: string, segs: readonly string[], i: number, ctx: QueryContext, table: string, wild: boolean): Generator<string> {
  ctx.signal.throwIfAborted();
  if (i === segs.length) {
    yield base;
    return;
  }
  const seg = segs[i]!;
  const last = i === segs.length - 1;
  if (seg === '') {
    yield* walk(base, segs, i + 1, ctx, table, wild);
    return;
  }
  if (seg === '%%') {
    yield* recurse(base, segs, i + 1, ctx, table);
    return;
  }
  if (!seg.includes('%') && !seg.includes('_')) {
    const p = join(base, seg);
    if (last) {
      if (exists(p, ctx, table)) yield p;
    } else {
      yield* walk(p, segs, i + 1, ctx, table, false);
    }
    return;
  }
  const matches = segmentMatcher(seg);
  for (const e of listDir(base, ctx, table)) {
    if (!matches(e.name)) continue;
    const p = join(base, e.name);
    const dir = isDirEntry(base, e);
    if (last) yield dir ? `${p}/` : p;
    else if (dir) yield* walk(p, segs, i + 1, ctx, table, true);
  }
}

/** The identity of a directory (device and inode), to visit each directory once. */
function dirKey(p: string): string | undefined {
  try {
    const st = statSync(p, { bigint: true, throwIfNoEntry: false });
    return st?.isDirectory() ? `${st.dev}:${st.ino}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `%%`: every entry below `base` (any depth) that matches the rest of the pattern. Like osquery, symbolic
 * links to directories are followed; each directory is entered once (by device and inode), so link cycles
 * end.
 */
function* recurse(base: string, segs: readonly string[], next: number, ctx: QueryContext, table: string): Generator<string> {
  const visited = new Set<string>();
  const baseKey = dirKey(base);
  if (baseKey) visited.add(baseKey);
  const stack = [base];
  while (stack.length > 0) {
    ctx.signal.throwIfAborted();
    const dir = stack.pop()!;
    const entries = listDir(dir, ctx, table).sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
    const subdirs: string[] = [];
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      const isDir = isDirEntry(dir, e);
      if (next === segs.length) yield isDir ? `${p}/` : p;
      if (!isDir) continue;
      const key = e.isSymbolicLink() ? dirKey(p) : undefined;
      if (key !== undefined) {
        if (visited.has(key)) continue;
        visited.add(key);
      }
      if (next < segs.length) yield* walk(p, segs, next, ctx, table, true);
      subdirs.push(p);
    }
    stack.push(...subdirs);
  }
}

/**
 * What a file-like table must describe, from the query's `path`/`directory` constraints: `=`/`IN` paths as
 * written, LIKE patterns expanded, and the entries of `directory` values. Each path once.
 */
export function* pathTargets(ctx: QueryContext, table: string): Generator<PathTarget> {
  const paths = ctx.constraint('path') ?? [];
  const pathPatterns = ctx.like('path') ?? [];
  const directories = ctx.constraint('directory') ?? [];
  const directoryPatterns = ctx.like('directory') ?? [];
  // One source never repeats a path; only several (path = x AND path LIKE y...) can, and only then is a
  // set of seen paths kept, so that `path LIKE '/%%'` streams in constant memory.
  const sources = paths.length + pathPatterns.length + directories.length + directoryPatterns.length;
  const seen = sources > 1 ? new Set<string>() : undefined;
  const emit = (path: string, directory: string): PathTarget | undefined => {
    if (seen) {
      if (seen.has(path)) return undefined;
      seen.add(path);
    }
    return { path, directory };
  };
  const parentOf = (p: string): string => (p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : dirname(p));
  for (const p of paths) {
    const t = emit(p, parentOf(p));
    if (t) yield t;
  }
  for (const pattern of pathPatterns) {
    for (const p of expandPathPattern(pattern, ctx, table)) {
      const t = emit(p, parentOf(p));
      if (t) yield t;
    }
  }
  const listDirectory = function* (d: string): Generator<PathTarget> {
    for (const e of listDir(d, ctx, table)) {
      ctx.signal.throwIfAborted();
      const t = emit(join(d, e.name), d);
      if (t) yield t;
    }
  };
  for (const d of directories) yield* listDirectory(d);
  for (const pattern of directoryPatterns) for (const d of expandPathPattern(pattern, ctx, table)) yield* listDirectory(d);
}
