import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { QueryContext, Row, TableImpl } from '../../types.js';
import { expandPathPattern } from '../common/path-targets.js';

/** Where Debian's `file` keeps its compiled magic database (what osquery reports as magic_db_files). */
const DEFAULT_DBS = ['/usr/share/file/magic.mgc', '/usr/share/misc/magic.mgc'];

let fileCommand: string | null | undefined;

/** The `file` command (libmagic's front end), or null when it is not installed. */
function findFileCommand(): string | null {
  if (fileCommand !== undefined) return fileCommand;
  const probe = spawnSync('file', ['--version'], { encoding: 'utf8' });
  fileCommand = probe.status === 0 ? 'file' : null;
  return fileCommand;
}

function runFile(args: readonly string[], ctx: QueryContext): string | null {
  const r = spawnSync(findFileCommand()!, ['--brief', ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0 || r.error) {
    ctx.warn(`magic: file ${args.join(' ')} failed: ${r.error?.message ?? r.stderr.trim()}`);
    return null;
  }
  return r.stdout.replace(/\n$/, '');
}

/**
 * `magic`: libmagic's description and MIME type of each `path`, through Debian's `file` command (libmagic
 * has no maintained Node binding). Each column runs `file` only when the query reads it. Paths come from
 * `path =`/`IN`, or a LIKE pattern expanded like file's (`%` one level, `%%` recursive).
 *
 * @example
 * vigil query "select data, mime_type from magic where path = '/bin/ls'"
 */
export const magic: TableImpl = {
  name: 'magic',
  lazyColumns: ['data', 'mime_type', 'mime_encoding'],
  *generate(ctx) {
    if (findFileCommand() === null) {
      ctx.warn('magic: the `file` command (libmagic) is not installed; no rows');
      return;
    }
    const custom = ctx.constraint('magic_db_files')?.[0];
    const dbArgs = custom ? ['--magic-file', custom] : [];
    const dbFiles = custom ?? DEFAULT_DBS.join(':');
    const paths = [...(ctx.constraint('path') ?? [])];
    for (const pattern of ctx.like('path') ?? []) paths.push(...expandPathPattern(pattern, ctx, 'magic'));
    for (const path of new Set(paths)) {
      if (!existsSync(path)) continue;
      let mime: [string, string] | undefined;
      const mimeParts = (): [string, string] => {
        if (mime === undefined) {
          const out = runFile([...dbArgs, '--mime', '--', path], ctx) ?? '';
          const m = /^([^;]*)(?:;\s*charset=(.*))?$/.exec(out);
          mime = [m?.[1] ?? '', m?.[2] ?? ''];
        }
        return mime;
      };
      let data: string | null | undefined;
      const row: Row = { path, magic_db_files: dbFiles };
      Object.defineProperty(row, 'data', { get: () => (data === undefined ? (data = runFile([...dbArgs, '--', path], ctx)) : data), enumerable: true });
      Object.defineProperty(row, 'mime_type', { get: () => mimeParts()[0], enumerable: true });
      Object.defineProperty(row, 'mime_encoding', { get: () => mimeParts()[1], enumerable: true });
      yield row;
    }
  },
};
