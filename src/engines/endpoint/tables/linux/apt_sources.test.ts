import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectRows, createTestContext } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { aptRows, aptSources, listsPrefix, parseDeb822Sources, parseSourcesList } from './apt_sources.js';

const hasApt = existsSync('/usr/bin/apt-get');

describe('apt_sources', () => {
  it.skipIf(!hasApt)('lists the deb repositories apt itself has index targets for', () => {
    const targets = execFileSync('apt-get', ['indextargets', '--format', '$(REPO_URI) $(RELEASE) $(TARGET_OF)'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter((l) => l.endsWith(' deb'))
      .map((l) => l.split(' '))
      .map(([uri, suite]) => `${uri!.replace(/\/+$/, '')} ${suite}`);
    const got = collectRows(aptSources).map((r) => `${r.base_uri} ${String(r.name).split(' ')[1]}`);
    expect(new Set(got)).toEqual(new Set(targets));
  });

  it('parses one-line and deb822 sources', () => {
    expect(parseSourcesList('deb [arch=amd64 signed-by=/k.gpg] http://a.example/debian/ bookworm main\ndeb-src http://a.example/debian bookworm main\n# deb http://b.example x y\ndeb file:/x y\n')).toEqual([
      { baseUri: 'http://a.example/debian', suite: 'bookworm' },
    ]);
    expect(
      parseDeb822Sources('Types: deb deb-src\n# note\nURIs: http://a.example/d https://m.example/d\nSuites: s1 s2\nComponents: main\n\nTypes: deb\nURIs: http://off.example\nSuites: x\nEnabled: no\n'),
    ).toHaveLength(4);
  });

  it('takes release facts from the cached InRelease file', () => {
    const lists = mkdtempSync(join(tmpdir(), 'vigil-apt-'));
    try {
      const e = { baseUri: 'http://deb.example.org/debian', suite: 'bookworm' };
      expect(listsPrefix(e)).toBe('deb.example.org_debian_dists_bookworm');
      writeFileSync(
        join(lists, 'deb.example.org_debian_dists_bookworm_InRelease'),
        '-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nOrigin: Debian\nLabel: Debian\nVersion: 12.5\nCodename: bookworm\nDate: Sat, 10 Feb 2024 09:53:03 UTC\nArchitectures: all amd64 arm64\nComponents: main contrib\n-----BEGIN PGP SIGNATURE-----\nCodename: fake\n',
      );
      const rows = aptRows('/etc/apt/sources.list', [e, { baseUri: 'http://gone.example/x', suite: 's' }], ['deb.example.org_debian_dists_bookworm_InRelease'], lists, createTestContext());
      expect(rows).toEqual([
        {
          name: 'deb.example.org/debian bookworm',
          source: '/etc/apt/sources.list',
          base_uri: 'http://deb.example.org/debian',
          release: 'bookworm',
          version: '12.5',
          maintainer: 'Debian',
          components: 'main contrib',
          architectures: 'all amd64 arm64',
          pid_with_namespace: 0,
        },
      ]);
    } finally {
      rmSync(lists, { recursive: true });
    }
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    const lists = mkdtempSync(join(tmpdir(), 'vigil-apt-'));
    try {
      writeFileSync(join(lists, 'h.example_dists_s_Release'), 'Codename: s\n');
      const [row] = aptRows('f', [{ baseUri: 'http://h.example', suite: 's' }], ['h.example_dists_s_Release'], lists, createTestContext());
      expect(columnMismatch('apt_sources', row!)).toBe('');
    } finally {
      rmSync(lists, { recursive: true });
    }
  });
});
