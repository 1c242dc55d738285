import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalogs, renderErrorsDoc } from '../tools/codegen/error-catalog.js';
import { repoRoot } from './support/shared.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'testdata' ? [] : sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

describe('error codes', () => {
  it('docs/errors.md is generated from the catalogs (run `npm run gen:errors` after adding a code)', async () => {
    const want = renderErrorsDoc(await loadCatalogs());
    expect(readFileSync(join(repoRoot, 'docs/errors.md'), 'utf8')).toBe(want);
  });

  it('every code thrown in src is in a catalog', async () => {
    const known = new Set((await loadCatalogs()).flatMap((s) => s.codes.map(([c]) => c)));
    const unknown: string[] = [];
    for (const file of sourceFiles(join(repoRoot, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/new AppError\(\s*'([A-Z0-9_]+)'/g)) {
        if (!known.has(m[1]!)) unknown.push(`${file.slice(repoRoot.length + 1)}: ${m[1]}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  it('no code is defined twice', async () => {
    const all = (await loadCatalogs()).flatMap((s) => s.codes.map(([c]) => c));
    expect(all.length).toBe(new Set(all).size);
  });
});
