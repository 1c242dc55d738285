import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../../../../test/support/shared.js';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { npmPackages, packageJsonColumns } from './npm_packages.js';

const tmp = mkdtempSync(join(tmpdir(), 'vigil-npm-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function writePkg(dir: string, json: unknown): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), typeof json === 'string' ? json : JSON.stringify(json));
}

describe('npm_packages', () => {
  it("finds this project's node_modules packages, scoped ones included", () => {
    const nm = join(repoRoot, 'node_modules');
    const list = () =>
      readdirSync(nm)
        .filter((n) => !n.startsWith('.'))
        .flatMap((n) => (n.startsWith('@') ? readdirSync(join(nm, n)).map((s) => join(nm, n, s, 'package.json')) : [join(nm, n, 'package.json')]))
        .filter((p) => existsSync(p));
    const before = list();
    const rows = collectRows(npmPackages, { constraints: { directory: [repoRoot] } });
    const after = new Set(list());
    // A concurrent npm install may add or remove packages: compare what both listings saw.
    const got = new Set(rows.map((r) => String(r.path)));
    for (const p of before.filter((x) => after.has(x))) expect(got.has(p), p).toBe(true);
    const commander = rows.find((r) => r.name === 'commander')!;
    expect(commander.version).toBe(JSON.parse(readFileSync(join(nm, 'commander', 'package.json'), 'utf8')).version);
    expect(commander.directory).toBe(repoRoot);
    if (!schemaMissing) expect(columnMismatch('npm_packages', commander)).toBe('');
  });

  it('reads nested node_modules down to max_depth and warns about broken package.json', () => {
    writePkg(join(tmp, 'node_modules', 'a'), { name: 'a', version: '1.0.0', author: { name: 'Ann' }, license: { type: 'MIT', url: 'http://x/mit' } });
    writePkg(join(tmp, 'node_modules', 'a', 'node_modules', 'b'), { name: 'b', version: '2.0.0', author: 'Bob <b@x>' });
    writePkg(join(tmp, 'node_modules', 'broken'), '{not json');
    const flat = collectRows(npmPackages, { constraints: { directory: [tmp] } });
    expect(flat.map((r) => [r.name, r.depth])).toEqual([['a', 0]]);
    expect(flat[0]).toMatchObject({ author: 'Ann', license: 'http://x/mit' });
    const deep = collectRows(npmPackages, { constraints: { directory: [tmp], max_depth: ['1'] } });
    expect(deep.map((r) => [r.name, r.depth, r.author])).toEqual([
      ['a', 0, 'Ann'],
      ['b', 1, 'Bob <b@x>'],
    ]);
  });

  it('flattens odd package.json shapes without throwing', () => {
    expect(packageJsonColumns(null)).toMatchObject({ name: '', version: '' });
    expect(packageJsonColumns({ name: 5, author: null, license: 'ISC' })).toMatchObject({ name: '', author: '', license: 'ISC' });
  });
});
