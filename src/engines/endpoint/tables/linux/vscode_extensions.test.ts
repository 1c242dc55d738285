import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { vscodeExtensionRows } from './vscode_extensions.js';

const home = mkdtempSync(join(tmpdir(), 'vigil-home-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const user = { name: 'tester', uid: 4245, gid: 4245, home };

describe('vscode_extensions', () => {
  it('reads extensions.json as VS Code writes it under a temp HOME', () => {
    const dir = join(home, '.vscode', 'extensions');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'ms-python.python-2024.2.1-linux-x64');
    writeFileSync(
      join(dir, 'extensions.json'),
      JSON.stringify([
        {
          identifier: { id: 'ms-python.python', uuid: 'f1f59ae4-9318-4f3c-a9b5-81b2eaa5f8a5' },
          version: '2024.2.1',
          location: { $mid: 1, fsPath: path, external: `file://${path}`, path, scheme: 'file' },
          relativeLocation: 'ms-python.python-2024.2.1-linux-x64',
          metadata: {
            id: 'f1f59ae4-9318-4f3c-a9b5-81b2eaa5f8a5', publisherId: '998b010b-e2af-44a5-a6cd-0b5fd3b9b6f8', publisherDisplayName: 'Microsoft',
            targetPlatform: 'linux-x64', isApplicationScoped: false, updated: false, isPreReleaseVersion: false, installedTimestamp: 1708000000000, preRelease: false,
          },
        },
      ]),
    );
    mkdirSync(join(home, '.vscode-oss', 'extensions'), { recursive: true });
    writeFileSync(join(home, '.vscode-oss', 'extensions', 'extensions.json'), '[{');
    const ctx = createTestContext();
    const rows = [...vscodeExtensionRows([user], ctx)];
    expect(rows).toEqual([
      {
        name: 'ms-python.python', uuid: 'f1f59ae4-9318-4f3c-a9b5-81b2eaa5f8a5', version: '2024.2.1', path, publisher: 'Microsoft',
        publisher_id: '998b010b-e2af-44a5-a6cd-0b5fd3b9b6f8', installed_at: 1708000000000, prerelease: 0, uid: 4245, vscode_edition: 'vscode',
      },
    ]);
    expect(ctx.warnings).toHaveLength(1);
    if (!schemaMissing) expect(columnMismatch('vscode_extensions', rows[0])).toBe('');
  });
});
