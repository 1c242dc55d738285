/**
 * npm_packages: Node packages under <directory>/node_modules (scoped @org/name ones included),
 * with osquery's defaults: /usr/lib/ and /usr/local/lib/ when no `directory` is given. Nested
 * node_modules are read down to `max_depth` levels (hidden column; 0, the top level only, by default).
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { listDir } from '../common/sysfs.js';
import type { QueryContext, Row, TableImpl } from '../../types.js';

/** Where global packages live when the query names no directory. */
export const DEFAULT_NPM_DIRECTORIES = ['/usr/lib/', '/usr/local/lib/'];

/** The columns osquery takes from a package.json; string-or-object fields are flattened its way. */
export function packageJsonColumns(json: unknown): Pick<Row, 'name' | 'version' | 'description' | 'author' | 'license' | 'homepage'> {
  const doc = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const author = doc.author;
  const license = doc.license;
  return {
    name: str(doc.name),
    version: str(doc.version),
    description: str(doc.description),
    // "author" is either "Name <mail> (url)" or {name, email, url}.
    author: typeof author === 'object' && author !== null ? str((author as Record<string, unknown>).name) : str(author),
    // The deprecated {type, url} license object shows its url, as osquery does.
    license: typeof license === 'object' && license !== null ? str((license as Record<string, unknown>).url) : str(license),
    homepage: str(doc.homepage),
  };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The package directories directly inside a node_modules directory, @scope/name ones included. */
function packageDirs(nodeModules: string): string[] {
  const dirs: string[] = [];
  for (const entry of listDir(nodeModules)) {
    if (entry.startsWith('.')) continue;
    const path = join(nodeModules, entry);
    if (entry.startsWith('@')) {
      for (const sub of listDir(path)) if (!sub.startsWith('.')) dirs.push(join(path, sub));
    } else {
      dirs.push(path);
    }
  }
  return dirs;
}

function* walk(directory: string, pkgRoot: string, depth: number, maxDepth: number, ctx: QueryContext): Generator<Row> {
  for (const dir of packageDirs(join(pkgRoot, 'node_modules'))) {
    if (ctx.signal.aborted) return;
    const path = join(dir, 'package.json');
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      if (isDirectory(dir) && (e as NodeJS.ErrnoException).code !== 'ENOENT') ctx.warn(`npm_packages: cannot read ${path}`, e);
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      ctx.warn(`npm_packages: ${path} is not valid JSON`, e);
      continue;
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      ctx.warn(`npm_packages: ${path} is not a JSON object`);
      continue;
    }
    yield {
      ...packageJsonColumns(json),
      path,
      directory,
      depth,
      max_depth: maxDepth,
      pid_with_namespace: 0,
      mount_namespace_id: '',
    };
    if (depth < maxDepth) yield* walk(directory, dir, depth + 1, maxDepth, ctx);
  }
}

/** Generator for osquery's `npm_packages` table. */
export const npmPackages: TableImpl = {
  name: 'npm_packages',
  *generate(ctx) {
    const maxDepths = ctx.constraint('max_depth')?.map(Number).filter((n) => Number.isInteger(n) && n >= 0);
    const maxDepth = maxDepths && maxDepths.length > 0 ? Math.min(...maxDepths) : 0;
    const directories = ctx.constraint('directory') ?? DEFAULT_NPM_DIRECTORIES;
    for (const directory of new Set(directories)) yield* walk(directory, directory, 0, maxDepth, ctx);
  },
};
