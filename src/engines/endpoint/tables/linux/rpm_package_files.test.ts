import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PGPHASHALGO_SHA256, RPMTAG, RPM_TYPE, parseRpmHeader } from '../common/rpm-header.js';
import { createTestContext } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { buildHeaderBlob } from '../common/testdata/rpm-header-builder.js';
import { hasRpmTools, installIntoTestRpmDb } from '../common/testdata/rpm-tool.js';
import { rpmFileRows } from './rpm_package_files.js';
import { readRpmHeaders } from './rpm_packages.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-rpmf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = buildHeaderBlob([
  { tag: RPMTAG.NAME, type: RPM_TYPE.STRING, value: 'demo' },
  { tag: RPMTAG.FILESIZES, type: RPM_TYPE.INT32, value: [12, 4096] },
  { tag: RPMTAG.FILEMODES, type: 3, value: new Uint8Array([0x81, 0xed, 0x41, 0xed]) },
  { tag: RPMTAG.FILEDIGESTS, type: RPM_TYPE.STRING_ARRAY, value: ['ab'.repeat(32), ''] },
  { tag: RPMTAG.FILEUSERNAME, type: RPM_TYPE.STRING_ARRAY, value: ['root', 'root'] },
  { tag: RPMTAG.FILEGROUPNAME, type: RPM_TYPE.STRING_ARRAY, value: ['root', 'wheel'] },
  { tag: RPMTAG.DIRINDEXES, type: RPM_TYPE.INT32, value: [0, 1] },
  { tag: RPMTAG.BASENAMES, type: RPM_TYPE.STRING_ARRAY, value: ['demo', 'demo.d'] },
  { tag: RPMTAG.DIRNAMES, type: RPM_TYPE.STRING_ARRAY, value: ['/usr/bin/', '/etc/'] },
  { tag: RPMTAG.FILEDIGESTALGO, type: RPM_TYPE.INT32, value: [PGPHASHALGO_SHA256] },
]);

describe('rpm_package_files', () => {
  it('joins dirnames and basenames and reads owners, modes, sizes and SHA-256 digests', () => {
    expect(rpmFileRows(parseRpmHeader(HEADER, 't'))).toEqual([
      { package: 'demo', path: '/usr/bin/demo', username: 'root', groupname: 'root', mode: '0755', size: 12, sha256: 'ab'.repeat(32) },
      { package: 'demo', path: '/etc/demo.d', username: 'root', groupname: 'wheel', mode: '0755', size: 4096, sha256: '' },
    ]);
  });

  it.skipIf(!hasRpmTools)('equals what rpm reports for the files of a package it installed', () => {
    const { dbpath, rpm } = installIntoTestRpmDb(
      dir,
      [
        'Name: vigil-files',
        'Version: 1.0',
        'Release: 1',
        'Summary: t',
        'License: MIT',
        'BuildArch: noarch',
        '%description',
        't',
        '%install',
        'mkdir -p %{buildroot}/usr/bin %{buildroot}/etc/vigil',
        'printf "#!/bin/sh\\necho hi\\n" > %{buildroot}/usr/bin/vigil-hello',
        'chmod 755 %{buildroot}/usr/bin/vigil-hello',
        'printf "a=1\\n" > %{buildroot}/etc/vigil/conf',
        '%files',
        '/usr/bin/vigil-hello',
        '%attr(0640,root,root) %config /etc/vigil/conf',
        '%dir /etc/vigil',
        '',
      ].join('\n'),
    );
    const want = rpm('-q', '--qf', '[%{FILENAMES}|%{FILEUSERNAME}|%{FILEGROUPNAME}|%{FILEMODES:octal}|%{FILESIZES}|%{FILEDIGESTS}\n]', 'vigil-files')
      .trim()
      .split('\n')
      .map((l) => l.split('|'))
      .map(([path, user, group, mode, size, digest]) => [path, user, group, (Number.parseInt(mode!, 8) & 0o7777).toString(8).padStart(4, '0'), Number(size), digest]);
    const [h] = [...readRpmHeaders(join(dbpath, 'rpmdb.sqlite'), createTestContext(), 'rpm_package_files')];
    const got = rpmFileRows(h!).map((r) => [r.path, r.username, r.groupname, r.mode, r.size, r.sha256]);
    expect(got).toEqual(want);
    expect(got.length).toBe(3);
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    expect(columnMismatch('rpm_package_files', rpmFileRows(parseRpmHeader(HEADER, 't'))[0]!)).toBe('');
  });
});
