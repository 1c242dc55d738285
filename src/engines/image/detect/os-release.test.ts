import { describe, expect, it } from 'vitest';
import { distroFromFile, parseOsRelease } from './os-release.js';

describe('distribution detection', () => {
  it('reads os-release of each supported family', () => {
    const cases: [string, Record<string, string>][] = [
      ['PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n', { id: 'debian', versionId: '12', codename: 'bookworm' }],
      ['NAME="Ubuntu"\nVERSION_ID="22.04"\nID=ubuntu\nVERSION_CODENAME=jammy\n', { id: 'ubuntu', versionId: '22.04', codename: 'jammy' }],
      ['NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.14.0\n', { id: 'alpine', versionId: '3.14.0' }],
      ['NAME="Red Hat Enterprise Linux"\nID="rhel"\nVERSION_ID="9.3"\n', { id: 'rhel', versionId: '9.3' }],
      ['ID="rocky"\nVERSION_ID="9.3"\n', { id: 'rocky', versionId: '9.3' }],
      ['ID="almalinux"\nVERSION_ID="9.3"\n', { id: 'almalinux', versionId: '9.3' }],
      ['ID="centos"\nVERSION_ID="7"\n', { id: 'centos', versionId: '7' }],
      ['NAME="Amazon Linux"\nID="amzn"\nVERSION_ID="2023"\n', { id: 'amzn', versionId: '2023' }],
    ];
    for (const [text, want] of cases) expect(distroFromFile('etc/os-release', text)).toMatchObject(want);
  });

  it('falls back to release files', () => {
    expect(distroFromFile('etc/alpine-release', '3.18.4\n')).toEqual({ id: 'alpine', versionId: '3.18.4' });
    expect(distroFromFile('etc/debian_version', '12.5\n')).toEqual({ id: 'debian', versionId: '12' });
    expect(distroFromFile('etc/redhat-release', 'CentOS Linux release 7.9.2009 (Core)\n')).toMatchObject({ id: 'centos', versionId: '7.9.2009' });
    expect(distroFromFile('etc/system-release', 'Amazon Linux release 2 (Karoo)\n')).toMatchObject({ id: 'amzn', versionId: '2' });
    expect(distroFromFile('etc/os-release', 'NAME=x\n')).toBeUndefined();
  });

  it('unquotes values as a shell would', () => {
    expect(parseOsRelease('A="x \\"y\\""\nB=\'z\'\n# c\nbad line\n')).toEqual({ A: 'x "y"', B: 'z' });
  });
});
