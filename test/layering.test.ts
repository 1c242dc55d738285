import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './support/shared.js';

/** Writes a tiny source tree and runs the project's dependency-cruiser rules on it. */
function cruise(files: Record<string, string>): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-layering-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }));
  const r = spawnSync(process.execPath, [join(repoRoot, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), 'src', '--config', join(repoRoot, '.dependency-cruiser.cjs')], {
    cwd: dir,
    encoding: 'utf8',
  });
  return { status: r.status, output: r.stdout + r.stderr };
}
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('layering rule', () => {
  it('passes on the real source tree', () => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), 'src', '--config', '.dependency-cruiser.cjs'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  }, 120_000);

  it('fails when one engine imports another', () => {
    const r = cruise({
      'src/engines/image/match/x.ts': 'export const x = 1;\n',
      'src/engines/ids/detect/y.ts': "import { x } from '../../image/match/x.js';\nexport const y = x;\n",
    });
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('engines-are-independent');
  }, 60_000);

  it('fails when a stage imports a later stage', () => {
    const r = cruise({
      'src/engines/ids/detect/engine.ts': 'export const engine = 1;\n',
      'src/engines/ids/decode/ipv4.ts': "import { engine } from '../detect/engine.js';\nexport const v = engine;\n",
    });
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('ids-decode-no-later-stage');
  }, 60_000);

  it('fails when an engine imports a storage driver', () => {
    const r = cruise({
      'src/storage/sqlite/driver.ts': 'export const open = 1;\n',
      'src/engines/image/store/db.ts': "import { open } from '../../../storage/sqlite/driver.js';\nexport const s = open;\n",
    });
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('engines-use-the-store-interface');
  }, 60_000);

  it('fails when core imports an engine', () => {
    const r = cruise({
      'src/engines/ids/types.ts': 'export const t = 1;\n',
      'src/core/bad.ts': "import { t } from '../engines/ids/types.js';\nexport const b = t;\n",
    });
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('core-is-the-bottom');
  }, 60_000);
});
