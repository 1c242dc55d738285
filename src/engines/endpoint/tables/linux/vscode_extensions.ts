/**
 * vscode_extensions: extensions installed in VS Code and its relatives for the users the query asks
 * for, from each editor's extensions/extensions.json (the list the editor itself keeps).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { usersForQuery, type LocalUser } from '../common/accounts-b.js';
import type { QueryContext, Row, TableImpl } from '../../types.js';

/** Editor data directories under a home, by vscode_edition. */
export const VSCODE_EDITIONS: readonly { edition: string; dir: string }[] = [
  { edition: 'vscode', dir: '.vscode' },
  { edition: 'vscode_insiders', dir: '.vscode-insiders' },
  { edition: 'vscodium', dir: '.vscode-oss' },
  { edition: 'cursor', dir: '.cursor' },
  { edition: 'windsurf', dir: '.windsurf' },
];

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * Rows for an extensions.json document (throws on invalid JSON; the caller warns).
 *
 * @example
 * parseVscodeExtensions(readFileSync(file, 'utf8'), 1000, 'vscode');
 */
export function parseVscodeExtensions(text: string, uid: number, edition: string): Row[] {
  const doc: unknown = JSON.parse(text);
  if (!Array.isArray(doc)) return [];
  return doc.map((entry) => {
    const e = obj(entry);
    const id = obj(e.identifier);
    const location = obj(e.location);
    const meta = obj(e.metadata);
    const installed = meta.installedTimestamp;
    return {
      name: str(id.id),
      uuid: str(id.uuid),
      version: str(e.version),
      path: str(location.path) || str(location.fsPath),
      publisher: str(meta.publisherDisplayName),
      publisher_id: str(meta.publisherId),
      installed_at: typeof installed === 'number' ? installed : null,
      prerelease: meta.isPreReleaseVersion === true || meta.preRelease === true ? 1 : 0,
      uid,
      vscode_edition: edition,
    };
  });
}

/** Rows for the given users. */
export function* vscodeExtensionRows(users: readonly LocalUser[], ctx: QueryContext): Generator<Row> {
  for (const user of users) {
    for (const { edition, dir } of VSCODE_EDITIONS) {
      const file = join(user.home, dir, 'extensions', 'extensions.json');
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        continue; // this editor is not installed for this user
      }
      try {
        yield* parseVscodeExtensions(text, user.uid, edition);
      } catch (e) {
        ctx.warn(`vscode_extensions: ${file} is not valid JSON`, e);
      }
    }
  }
}

/** Generator for osquery's `vscode_extensions` table. */
export const vscodeExtensions: TableImpl = {
  name: 'vscode_extensions',
  generate: (ctx) => vscodeExtensionRows(usersForQuery(ctx.constraint('uid')), ctx),
};
