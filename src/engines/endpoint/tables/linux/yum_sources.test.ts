import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { YUM_CONF, YUM_REPOS_DIR, yumRows, yumSources } from './yum_sources.js';

const REPO = `[main]
gpgcheck=1

[fedora]
name=Fedora $releasever - $basearch
#baseurl=http://download.example/pub/fedora/linux/releases/$releasever/Everything/$basearch/os/
metalink=https://mirrors.fedoraproject.org/metalink?repo=fedora-$releasever&arch=$basearch
enabled=1
gpgcheck=1
gpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-fedora-$releasever-$basearch
       file:///etc/pki/rpm-gpg/RPM-GPG-KEY-fedora-extra

[local]
name=Local
baseurl=file:///srv/repo
enabled=0
`;

describe('yum_sources', () => {
  it('yields nothing on a host without yum configuration', () => {
    if (existsSync(YUM_CONF) || existsSync(YUM_REPOS_DIR)) return;
    expect(collectRows(yumSources)).toEqual([]);
  });

  it('reads every repository section except main', () => {
    const rows = yumRows(REPO, '/etc/yum.repos.d/fedora.repo');
    expect(rows.map((r) => [r.name, r.baseurl, r.metalink !== null, r.enabled, r.gpgcheck])).toEqual([
      ['Fedora $releasever - $basearch', null, true, '1', '1'],
      ['Local', 'file:///srv/repo', false, '0', null],
    ]);
    expect(rows[0]!.gpgkey).toBe('file:///etc/pki/rpm-gpg/RPM-GPG-KEY-fedora-$releasever-$basearch file:///etc/pki/rpm-gpg/RPM-GPG-KEY-fedora-extra');
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    expect(columnMismatch('yum_sources', yumRows(REPO, 'f')[0]!)).toBe('');
  });
});
