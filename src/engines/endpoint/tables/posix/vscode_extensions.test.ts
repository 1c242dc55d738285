import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { parseVscodeExtensions, vscodeExtensions } from './vscode_extensions.js';

/** The shape VS Code 1.9x writes to ~/.vscode/extensions/extensions.json. */
const EXTENSIONS_JSON = JSON.stringify([
  {
    identifier: { id: 'ms-python.python', uuid: 'f1f59ae4-9318-4f3c-a9b5-81b2eaa5f8a5' },
    version: '2024.2.1',
    location: { $mid: 1, fsPath: '/home/u/.vscode/extensions/ms-python.python-2024.2.1', path: '/home/u/.vscode/extensions/ms-python.python-2024.2.1', scheme: 'file' },
    relativeLocation: 'ms-python.python-2024.2.1',
    metadata: {
      id: 'f1f59ae4-9318-4f3c-a9b5-81b2eaa5f8a5',
      publisherId: '998b010b-e2af-44a5-a6cd-0b5fd3b9b6f8',
      publisherDisplayName: 'Microsoft',
      targetPlatform: 'undefined',
      isApplicationScoped: false,
      updated: false,
      isPreReleaseVersion: false,
      installedTimestamp: 1709000000000,
      preRelease: false,
    },
  },
  { identifier: { id: 'broken.entry' }, version: '1' },
]);

describe('vscode_extensions', () => {
  it('reads extensions.json entries and warns about incomplete ones', () => {
    const warnings: string[] = [];
    const rows = parseVscodeExtensions(EXTENSIONS_JSON, 1000, 'vscode', 'f', (m) => warnings.push(m));
    expect(rows).toEqual([
      {
        name: 'ms-python.python',
        uuid: 'f1f59ae4-9318-4f3c-a9b5-81b2eaa5f8a5',
        version: '2024.2.1',
        path: '/home/u/.vscode/extensions/ms-python.python-2024.2.1',
        publisher: 'Microsoft',
        publisher_id: '998b010b-e2af-44a5-a6cd-0b5fd3b9b6f8',
        installed_at: 1709000000000,
        prerelease: 0,
        uid: 1000,
        vscode_edition: 'vscode',
      },
    ]);
    expect(warnings).toHaveLength(1);
    expect(parseVscodeExtensions('{not json', 1, 'vscode', 'f', (m) => warnings.push(m))).toEqual([]);
    expect(warnings[1]).toMatch(/f: not valid JSON/);
  });

  it('reads ~/.vscode/extensions/extensions.json of an account (when the test can create it)', () => {
    const uid = process.getuid!();
    const home = execFileSync('getent', ['passwd', String(uid)], { encoding: 'utf8' }).split(':')[5]!;
    const dir = join(home, '.vscode');
    if (existsSync(dir)) return; // never touch a real VS Code profile
    try {
      mkdirSync(join(dir, 'extensions'), { recursive: true });
      writeFileSync(join(dir, 'extensions', 'extensions.json'), EXTENSIONS_JSON);
      const rows = collectRows(vscodeExtensions, { constraints: { uid: [String(uid)] } });
      expect(rows.map((r) => [r.name, r.uid, r.vscode_edition])).toEqual([['ms-python.python', uid, 'vscode']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('does not throw on arbitrary JSON shapes', () => {
    for (const t of ['null', '1', '[]', '[null]', '[{"identifier":1,"metadata":{},"location":{}}]', '[{"identifier":{},"metadata":{},"location":{}}]']) {
      expect(() => parseVscodeExtensions(t, 0, 'vscode', 'f', () => undefined)).not.toThrow();
    }
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    expect(columnMismatch('vscode_extensions', parseVscodeExtensions(EXTENSIONS_JSON, 1, 'vscode', 'f', () => undefined)[0]!)).toBe('');
  });
});
