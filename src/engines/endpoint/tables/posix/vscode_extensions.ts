import { join } from 'node:path';
import type { QueryContext, Row, TableImpl } from '../../types.js';
import { selectAccounts } from '../common/passwd.js';
import { readOptionalText } from '../common/text-table.js';

/** Per-user VS Code configuration directories osquery reads, with the edition it reports. */
export const VSCODE_DIRS: readonly (readonly [string, string])[] = [
  ['.vscode-server', 'vscode'],
  ['.vscode', 'vscode'],
  ['.vscode-server-insiders', 'vscode_insiders'],
  ['.vscode-insiders', 'vscode_insiders'],
];

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/**
 * Rows for an extensions/extensions.json file: entries need identifier, metadata and location objects
 * (others are skipped with a warning, as in osquery). Invalid JSON gives one warning and no rows.
 *
 * @example
 * parseVscodeExtensions('[{"identifier":{"id":"ms-python.python"},"version":"1","location":{"path":"/x"},"metadata":{}}]', 1000, 'vscode', 'f', warn)
 */
export function parseVscodeExtensions(text: string, uid: number, edition: string, file: string, warn: (m: string) => void): Row[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    warn(`vscode_extensions: ${file}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
    return [];
  }
  if (!Array.isArray(doc)) {
    warn(`vscode_extensions: ${file}: expected a JSON array`);
    return [];
  }
  const rows: Row[] = [];
  doc.forEach((entry: unknown, i) => {
    const e = obj(entry);
    const identifier = obj(e?.identifier);
    const metadata = obj(e?.metadata);
    const location = obj(e?.location);
    if (e === undefined || identifier === undefined || metadata === undefined || location === undefined) {
      warn(`vscode_extensions: ${file}: entry ${i} lacks identifier, metadata or location; skipped`);
      return;
    }
    const installed = metadata.installedTimestamp;
    const pre = metadata.isPreReleaseVersion;
    rows.push({
      name: str(identifier.id),
      uuid: str(identifier.uuid),
      version: str(e.version),
      path: str(location.path),
      publisher: str(metadata.publisherDisplayName),
      publisher_id: str(metadata.publisherId),
      installed_at: typeof installed === 'number' && Number.isInteger(installed) ? installed : null,
      prerelease: typeof pre === 'boolean' ? (pre ? 1 : 0) : null,
      uid,
      vscode_edition: edition,
    });
  });
  return rows;
}

/**
 * `vscode_extensions`: extensions installed in each account's VS Code (desktop, server, insiders), from
 * <dir>/extensions/extensions.json. `WHERE uid = N` reads one account.
 *
 * @example
 * const exts = [...vscodeExtensions.generate(createTestContext({ constraints: { uid: ['1000'] } }))];
 */
export const vscodeExtensions: TableImpl = {
  name: 'vscode_extensions',
  *generate(ctx: QueryContext) {
    // osquery walks (uid, directory, edition) in sorted order, uid compared as text.
    const dirs: [string, string, string, number][] = [];
    for (const u of selectAccounts(ctx, 'vscode_extensions')) {
      for (const [d, edition] of VSCODE_DIRS) dirs.push([String(u.uid), join(u.directory, d), edition, u.uid]);
    }
    dirs.sort((a, b) => (a[0] + '\u0000' + a[1] < b[0] + '\u0000' + b[1] ? -1 : a[0] + '\u0000' + a[1] > b[0] + '\u0000' + b[1] ? 1 : 0));
    const seen = new Set<string>();
    for (const [, dir, edition, uid] of dirs) {
      if (seen.has(`${uid}\u0000${dir}`)) continue;
      seen.add(`${uid}\u0000${dir}`);
      const file = join(dir, 'extensions', 'extensions.json');
      const text = readOptionalText(file, ctx, 'vscode_extensions');
      if (text !== undefined) yield* parseVscodeExtensions(text, uid, edition, file, (m) => ctx.warn(m));
    }
  },
};
