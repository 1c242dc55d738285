/**
 * python_packages: installed Python distributions (*.dist-info/METADATA, *.egg-info/PKG-INFO)
 * in the system's site directories and the querying users' own ones (~/.local, pyenv), as osquery
 * looks for them. A `directory` constraint reads only that directory.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { usersForQuery } from '../common/accounts-b.js';
import { listDir } from '../common/sysfs.js';
import type { QueryContext, Row, TableImpl } from '../../types.js';

/**
 * Parses the header of a METADATA / PKG-INFO file (RFC 822 style; the body after the first blank
 * line is the long description and is ignored).
 *
 * @example
 * parsePythonMetadata('Name: six\nVersion: 1.16.0\n\nbody').version; // '1.16.0'
 */
export function parsePythonMetadata(text: string): { name: string; version: string; summary: string; author: string; license: string } {
  const out = { name: '', version: '', summary: '', author: '', license: '' };
  const keys: Record<string, keyof typeof out> = { Name: 'name', Version: 'version', Summary: 'summary', Author: 'author', License: 'license' };
  for (const line of text.split('\n')) {
    if (line.trim() === '') break;
    const colon = line.indexOf(':');
    if (colon <= 0 || line.startsWith(' ') || line.startsWith('\t')) continue;
    const key = keys[line.slice(0, colon)];
    // Repeated keys (License continued by classifiers) keep the first value.
    if (key !== undefined && out[key] === '') out[key] = line.slice(colon + 1).trim();
  }
  return out;
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Site directories `<base>/pythonX.Y/<leaf>/`, with the trailing slash osquery prints. */
function pythonDirs(base: string, leaves: readonly string[]): string[] {
  const out: string[] = [];
  for (const entry of listDir(base)) {
    if (!entry.startsWith('python')) continue;
    for (const leaf of leaves) {
      const dir = join(base, entry, leaf);
      if (isDir(dir)) out.push(`${dir}/`);
    }
  }
  return out;
}

/** The system-wide site directories. */
export function systemPythonDirs(): string[] {
  return [
    ...pythonDirs('/usr/local/lib', ['dist-packages', 'site-packages']),
    ...pythonDirs('/usr/lib', ['dist-packages', 'site-packages']),
  ];
}

/** A user's own site directories: pip --user and pyenv interpreters. */
export function userPythonDirs(home: string): string[] {
  const dirs = pythonDirs(join(home, '.local', 'lib'), ['site-packages']);
  const versions = join(home, '.pyenv', 'versions');
  for (const v of listDir(versions)) dirs.push(...pythonDirs(join(versions, v, 'lib'), ['site-packages']));
  return dirs;
}

/** Rows for every distribution in one site directory. */
export function* pythonPackagesIn(directory: string, uid: number, ctx: QueryContext): Generator<Row> {
  for (const entry of listDir(directory)) {
    if (ctx.signal.aborted) return;
    let metaFile: string;
    const path = join(directory, entry);
    if (entry.endsWith('.dist-info')) metaFile = join(path, 'METADATA');
    else if (entry.endsWith('.egg-info')) metaFile = isDir(path) ? join(path, 'PKG-INFO') : path;
    else continue;
    let text: string;
    try {
      text = readFileSync(metaFile, 'utf8');
    } catch (e) {
      ctx.warn(`python_packages: cannot read ${metaFile}`, e);
      continue;
    }
    yield { ...parsePythonMetadata(text), uid, path, directory, pid_with_namespace: 0 };
  }
}

/** Generator for osquery's `python_packages` table. */
export const pythonPackages: TableImpl = {
  name: 'python_packages',
  *generate(ctx) {
    const pinned = ctx.constraint('directory');
    const users = usersForQuery(ctx.constraint('uid'));
    for (const user of users) {
      const dirs = pinned ?? [...systemPythonDirs(), ...userPythonDirs(user.home)];
      for (const directory of new Set(dirs)) yield* pythonPackagesIn(directory, user.uid, ctx);
    }
  },
};
