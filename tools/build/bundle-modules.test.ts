import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { BundleError, bundleEntry } from './bundle-modules.mjs';

let root: string | undefined;

function tree(files: Record<string, string>): string {
  root = mkdtempSync(join(tmpdir(), 'bundle-modules-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

/** Modules log their evaluation to globalThis[key], so the order can be compared with Node's. */
function fixture(key: string): Record<string, string> {
  const log = (name: string) => `(globalThis.${key} ??= []).push('${name}');\n`;
  return {
    'opts/index.js': `import { a } from './a.js';\nimport {\n  b,\n  shout as loud,\n} from './b.js';\nimport { shared } from './shared.js';\n${log('index')}const registry = [a, b, loud('x'), shared];\nexport { registry };\n//# sourceMappingURL=index.js.map\n`,
    'opts/a.js': `import { join } from 'node:path';\nimport { shared } from './shared.js';\n${log('a')}const local = 1;\nexport const a = { name: 'a', path: join('p', 'q'), shared, local };\n`,
    'opts/b.js': `import { a } from './a.js';\n${log('b')}const local = 2;\nfunction shout(s) { return s.toUpperCase() + local; }\nexport class B { constructor() { this.a = a; } }\nexport const b = new B();\nexport { shout };\n`,
    'opts/shared.js': `${log('shared')}export const shared = { name: 'shared' };\n`,
    'opts/index.js.map': '{"version":3,"sources":[],"names":[],"mappings":""}',
    'other/user.js': `import { shared } from '../opts/shared.js';\nexport const viaOther = shared;\n`,
  };
}

describe('bundleEntry', () => {
  it('bundles the modules only the entry reaches and keeps a module imported from outside the directory as a file', async () => {
    const dir = tree(fixture('orderA'));
    const original = (await import(pathToFileURL(join(dir, 'opts/index.js')).href)) as { registry: unknown[] };
    const { text, bundled, kept } = bundleEntry(dir, 'opts/index.js');
    expect(bundled).toEqual(['opts/a.js', 'opts/b.js', 'opts/index.js']);
    expect(kept).toEqual(['opts/shared.js']);
    writeFileSync(join(dir, 'opts/bundle.js'), text);
    const bundle = (await import(pathToFileURL(join(dir, 'opts/bundle.js')).href)) as { registry: unknown[] };
    const other = (await import(pathToFileURL(join(dir, 'other/user.js')).href)) as { viaOther: unknown };
    expect(JSON.stringify(bundle.registry)).toBe(JSON.stringify(original.registry));
    // One instance of the kept module for the bundle and for the modules outside.
    expect(bundle.registry[3]).toBe(other.viaOther);
    expect(text).not.toContain('sourceMappingURL');
  });

  it('runs module bodies in the order Node evaluates the original modules', async () => {
    const dir = tree(fixture('orderB'));
    const g = globalThis as { orderB?: string[] };
    await import(pathToFileURL(join(dir, 'opts/index.js')).href);
    const nodeOrder = g.orderB!.splice(0);
    writeFileSync(join(dir, 'opts/bundle.js'), bundleEntry(dir, 'opts/index.js').text);
    await import(pathToFileURL(join(dir, 'opts/bundle.js')).href);
    // shared.js is not run again: the bundle imports the instance already loaded.
    expect(g.orderB).toEqual(nodeOrder.filter((m) => m !== 'shared'));
    expect(nodeOrder).toEqual(['shared', 'a', 'b', 'index']);
  });

  it('stops with the file named on an exported let, an import cycle or a default export', () => {
    let dir = tree({ 'o/index.js': `import { n } from './n.js';\nexport const x = n;\n`, 'o/n.js': 'export let n = 1;\n' });
    expect(() => bundleEntry(dir, 'o/index.js')).toThrow(BundleError);
    expect(() => bundleEntry(dir, 'o/index.js')).toThrow(/o\/n\.js: "export let n"/);
    rmSync(dir, { recursive: true });
    dir = tree({ 'o/index.js': `import { p } from './p.js';\nexport const x = p;\n`, 'o/p.js': `import { x } from './index.js';\nexport const p = () => x;\n` });
    expect(() => bundleEntry(dir, 'o/index.js')).toThrow(/import cycle/);
    rmSync(dir, { recursive: true });
    dir = tree({ 'o/index.js': `import { d } from './d.js';\nexport const x = d;\n`, 'o/d.js': 'export const d = 1;\nexport default d;\n' });
    expect(() => bundleEntry(dir, 'o/index.js')).toThrow(/o\/d\.js: an export form/);
  });
});
