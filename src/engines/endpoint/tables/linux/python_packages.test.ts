import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { parsePythonMetadata, pythonPackages } from './python_packages.js';

const site = `${mkdtempSync(join(tmpdir(), 'vigil-py-'))}/`;
afterAll(() => rmSync(site, { recursive: true, force: true }));

describe('python_packages', () => {
  it('finds a dist-info, an egg-info directory and an egg-info file the test creates', () => {
    mkdirSync(join(site, 'requests-2.31.0.dist-info'));
    writeFileSync(
      join(site, 'requests-2.31.0.dist-info', 'METADATA'),
      'Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\nSummary: Python HTTP for Humans.\nAuthor: Kenneth Reitz\nLicense: Apache 2.0\n\nName: not-a-header\n',
    );
    mkdirSync(join(site, 'six-1.16.0.egg-info'));
    writeFileSync(join(site, 'six-1.16.0.egg-info', 'PKG-INFO'), 'Name: six\nVersion: 1.16.0\n');
    writeFileSync(join(site, 'distro-1.8.0.egg-info'), 'Name: distro\nVersion: 1.8.0\nLicense: Apache License, Version 2.0\n');
    mkdirSync(join(site, 'unrelated'));
    const rows = collectRows(pythonPackages, { constraints: { directory: [site] } });
    expect(rows.map((r) => [r.name, r.version, r.path]).sort()).toEqual([
      ['distro', '1.8.0', join(site, 'distro-1.8.0.egg-info')],
      ['requests', '2.31.0', join(site, 'requests-2.31.0.dist-info')],
      ['six', '1.16.0', join(site, 'six-1.16.0.egg-info')],
    ]);
    const req = rows.find((r) => r.name === 'requests')!;
    expect(req).toMatchObject({ summary: 'Python HTTP for Humans.', author: 'Kenneth Reitz', license: 'Apache 2.0', directory: site, uid: process.getuid!() });
    if (!schemaMissing) expect(columnMismatch('python_packages', req)).toBe('');
  });

  it('warns about a dist-info without METADATA and goes on', () => {
    const dir = `${mkdtempSync(join(tmpdir(), 'vigil-py-'))}/`;
    mkdirSync(join(dir, 'broken-1.0.dist-info'));
    const rows = collectRows(pythonPackages, { constraints: { directory: [dir] } });
    expect(rows).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the first of repeated keys and stops at the body', () => {
    expect(parsePythonMetadata('Name: a\nLicense: MIT\nLicense: other\n\nVersion: 9\n')).toEqual({ name: 'a', version: '', summary: '', author: '', license: 'MIT' });
  });
});
