import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** True when rpm and rpmbuild are installed (Debian: apt-get install rpm). */
export const hasRpmTools = ['/usr/bin/rpmbuild', '/usr/bin/rpm'].every((p) => existsSync(p));

/**
 * Builds a package from `spec` with rpmbuild and records it with `rpm -i --justdb` in a fresh sqlite
 * rpmdb under `dir`, so tests read a database rpm itself wrote. Returns the dbpath and an rpm runner.
 */
export function installIntoTestRpmDb(dir: string, spec: string): { dbpath: string; rpm: (...args: string[]) => string } {
  const top = join(dir, 'build');
  mkdirSync(join(top, 'SPECS'), { recursive: true });
  const specFile = join(top, 'SPECS', 'pkg.spec');
  writeFileSync(specFile, spec);
  // _dbpath keeps rpmbuild's own database out of $HOME.
  execFileSync('rpmbuild', ['--quiet', '-bb', '--define', `_topdir ${top}`, '--define', `_dbpath ${join(top, 'db')}`, specFile], { stdio: 'ignore' });
  const rpms: string[] = [];
  for (const arch of readdirSync(join(top, 'RPMS'))) for (const f of readdirSync(join(top, 'RPMS', arch))) rpms.push(join(top, 'RPMS', arch, f));
  const dbpath = join(dir, 'rpmdb');
  mkdirSync(dbpath, { recursive: true });
  const rpm = (...args: string[]): string =>
    execFileSync('rpm', ['--dbpath', dbpath, '--define', '_db_backend sqlite', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  rpm('--initdb');
  rpm('-i', '--justdb', '--nodeps', '--ignoreos', '--ignorearch', '--noverify', ...rpms);
  return { dbpath, rpm };
}
