import { describe, expect, it } from 'vitest';
import { npm } from './npm.js';

const j = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('npm detector', () => {
  it('reads lockfile v2/v3 packages, including nested and scoped ones, but not the root or links', () => {
    const lock = {
      name: 'app',
      lockfileVersion: 3,
      packages: {
        '': { name: 'app', version: '1.0.0' },
        'node_modules/lodash': { version: '4.17.20' },
        'node_modules/@babel/core': { version: '7.1.0' },
        'node_modules/a/node_modules/minimist': { version: '0.0.8' },
        'node_modules/local': { resolved: 'packages/local', link: true },
      },
    };
    const r = npm.detect('srv/app/package-lock.json', j(lock), {});
    expect(r.packages.map((p) => `${p.name}@${p.version}`)).toEqual(['lodash@4.17.20', '@babel/core@7.1.0', 'minimist@0.0.8']);
    expect(r.packages[1]!.purl).toBe('pkg:npm/%40babel/core@7.1.0');
  });

  it('reads lockfile v1 dependency trees', () => {
    const lock = { lockfileVersion: 1, dependencies: { a: { version: '1.0.0', dependencies: { b: { version: '2.0.0' } } }, c: { version: 'file:../c' } } };
    expect(npm.detect('package-lock.json', j(lock), {}).packages.map((p) => p.name)).toEqual(['a', 'b']);
  });

  it('reads installed node_modules package.json files and ignores ones without a version', () => {
    expect(npm.accepts('usr/lib/node_modules/npm/node_modules/@npmcli/arborist/package.json')).toBe(true);
    expect(npm.accepts('usr/lib/node_modules/npm/package.json')).toBe(true);
    expect(npm.accepts('srv/app/package.json')).toBe(false);
    expect(npm.detect('node_modules/x/package.json', j({ name: 'x', version: '1.2.3' }), {}).packages[0]!.purl).toBe('pkg:npm/x@1.2.3');
    expect(npm.detect('node_modules/x/package.json', j({ name: 'x' }), {}).packages).toEqual([]);
    expect(npm.detect('node_modules/x/package.json', Buffer.from('{nope'), {}).problems[0]).toMatch(/not valid JSON/);
  });
});
